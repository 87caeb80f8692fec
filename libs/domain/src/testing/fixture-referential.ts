import { Referential } from '../referential/referential.model';

/**
 * A small référentiel with every structure the seeds use: criteria per competency (seeds 000, 002),
 * criteria per épreuve bearing on some or all covered competencies (seeds 001, 003), an option group
 * of one-of-two blocs (seed 000) and an extra requirement (seed 001).
 */
export const fixtureReferential: Referential = {
  referential: 'fixture-cert',
  version: '1',
  certification: { title: 'Certification de test', level: 7, certifier: 'Jalon' },
  validationPolicy: { blocValidation: 'jury', competencyAcquisition: 'all-criteria-met' },
  optionGroups: [{ code: 'OPT', title: 'Bloc de spécialisation', choose: 1 }],
  blocs: [
    {
      code: 'BC01',
      title: 'Piloter un projet',
      competencies: [
        {
          code: 'C1',
          title: 'Cadrer',
          criteria: [
            { code: 'CE1', text: 'Méthode' },
            { code: 'CE2', text: 'Complétude' },
          ],
        },
        { code: 'C2', title: 'Suivre', criteria: [{ code: 'CE1', text: 'Indicateurs' }] },
      ],
      epreuves: [
        {
          code: 'E1',
          title: 'Projet professionnalisant',
          kind: 'mise-en-situation-professionnelle',
          covers: ['C1', 'C2'],
          deliverables: ['written-report', 'oral-presentation'],
          assessorKind: 'expert-technique',
          timedParts: [{ code: 'soutenance', title: 'Soutenance distancielle', baseDurationMinutes: 30 }],
        },
      ],
    },
    {
      code: 'BC02',
      title: 'Analyser',
      competencies: [
        { code: 'C3', title: 'Explorer' },
        { code: 'C4', title: 'Visualiser' },
      ],
      epreuves: [
        {
          code: 'E2',
          title: 'Étude de cas',
          kind: 'etude-de-cas',
          covers: ['C3', 'C4'],
          criteria: [
            { code: 'CR1', text: 'Exploration juste', competencies: ['C3'] },
            { code: 'CR2', text: 'Présentation claire' },
          ],
          deliverables: ['notebook'],
          assessorKind: 'jury-professionnels',
        },
      ],
    },
    {
      code: 'BC03',
      title: 'Pipelines',
      optionGroup: 'OPT',
      optionLabel: 'Data Engineering',
      competencies: [{ code: 'C5', title: 'Déployer', criteria: [{ code: 'CE1', text: 'Pipeline' }] }],
      epreuves: [
        {
          code: 'E3',
          title: 'Mise en situation',
          kind: 'mise-en-situation-professionnelle',
          covers: ['C5'],
          deliverables: [],
          assessorKind: 'expert-technique',
        },
      ],
    },
    {
      code: 'BC04',
      title: 'Modèles',
      optionGroup: 'OPT',
      optionLabel: 'Data Science',
      competencies: [{ code: 'C6', title: 'Optimiser', criteria: [{ code: 'CE1', text: 'Modèle' }] }],
      epreuves: [
        {
          code: 'E4',
          title: 'Étude de cas',
          kind: 'etude-de-cas',
          covers: ['C6'],
          deliverables: [],
          assessorKind: 'expert-technique',
          timedParts: [{ code: 'soutenance', title: 'Soutenance', baseDurationMinutes: 45 }],
        },
      ],
    },
  ],
  extraRequirements: [{ code: 'FIL-ROUGE', title: 'Projet fil rouge' }],
};

/** The same structure where the référentiel lets a rule validate a bloc without a jury. */
export const automaticFixtureReferential: Referential = {
  ...fixtureReferential,
  version: '1-auto',
  validationPolicy: { blocValidation: 'automatic', competencyAcquisition: 'all-criteria-met' },
};

/** Every criterion an assessment of each épreuve rules on. */
export const fixtureCriteria: Record<string, string[]> = {
  E1: ['C1/CE1', 'C1/CE2', 'C2/CE1'],
  E2: ['E2/CR1', 'E2/CR2'],
  E3: ['C5/CE1'],
  E4: ['C6/CE1'],
};
