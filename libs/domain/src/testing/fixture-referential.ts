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

/**
 * A diplôme prepared by apprenticeship, written as rows: criteria stated once per row (bloc) and
 * combined across its épreuves by the row's rule, épreuves owed on some routes only, the maître
 * d'apprentissage's observations over the training, and a row the jury weighs.
 */
export const apprenticeshipFixtureReferential: Referential = {
  referential: 'fixture-diplome',
  version: '1',
  certification: { kind: 'diplome-ingenieur', title: "Diplôme d'ingénieur de test", level: 7, eqfLevel: 7 },
  validationPolicy: { blocValidation: 'jury', competencyAcquisition: 'all-criteria-met' },
  accessRoutes: ['apprentissage', 'vae'],
  assessorKinds: [
    { code: 'enseignant', title: 'Enseignant' },
    { code: 'maitre-apprentissage', title: "Maître d'apprentissage" },
    { code: 'jury-professionnels', title: 'Jury de professionnels' },
  ],
  blocs: [
    {
      code: 'R1',
      activities: [{ title: "Conception d'architectures logicielles" }],
      competencies: [
        { code: 'K1', title: 'Concevoir une architecture' },
        { code: 'K2', title: 'Documenter ses choix' },
      ],
      criteria: [
        { code: 'CE1', text: 'Pertinence de la solution' },
        { code: 'CE2', text: 'Rigueur de la documentation', competencies: ['K2'] },
      ],
      criteriaRule: 'each-epreuve',
      epreuves: [
        {
          code: 'R1-ACA',
          title: 'Séquence académique',
          kind: 'projet',
          covers: ['K1', 'K2'],
          deliverables: [],
          assessorKind: 'enseignant',
          routes: ['apprentissage'],
        },
        {
          code: 'R1-ENT',
          title: 'Séquence en entreprise',
          kind: 'evaluation-en-entreprise',
          covers: ['K1', 'K2'],
          deliverables: [],
          assessorKind: 'maitre-apprentissage',
          routes: ['apprentissage'],
          continuous: { rule: 'last' },
        },
        {
          code: 'R1-VAE',
          title: 'Entretien de VAE',
          kind: 'entretien',
          covers: ['K1', 'K2'],
          deliverables: ['dossier'],
          assessorKind: 'jury-professionnels',
          routes: ['vae'],
        },
      ],
    },
    {
      code: 'R2',
      competencies: [{ code: 'K3', title: 'Tester' }],
      criteria: [{ code: 'CE1', text: 'Couverture des tests' }],
      criteriaRule: 'any-epreuve',
      epreuves: [
        { code: 'R2-TP', title: 'Travaux pratiques', kind: 'cas-pratique', covers: ['K3'], deliverables: [], assessorKind: 'enseignant' },
        {
          code: 'R2-OBS',
          title: 'Observations en projet',
          kind: 'observation',
          covers: ['K3'],
          criteria: [{ code: 'CR1', text: 'Régularité' }],
          deliverables: [],
          assessorKind: 'enseignant',
          continuous: { rule: 'all' },
        },
      ],
    },
    {
      code: 'R3',
      competencies: [{ code: 'K4', title: 'Communiquer' }],
      criteria: [{ code: 'CE1', text: 'Clarté' }],
      criteriaRule: 'jury-weighs',
      epreuves: [
        { code: 'R3-ORAL', title: 'Soutenance', kind: 'soutenance', covers: ['K4'], deliverables: [], assessorKind: 'jury-professionnels' },
        { code: 'R3-RAPPORT', title: 'Rapport', kind: 'rapport', covers: ['K4'], deliverables: ['written-report'], assessorKind: 'enseignant' },
      ],
    },
  ],
};

/** Every criterion an assessment of each épreuve of the apprenticeship fixture rules on. */
export const apprenticeshipCriteria: Record<string, string[]> = {
  'R1-ACA': ['R1/CE1', 'R1/CE2'],
  'R1-ENT': ['R1/CE1', 'R1/CE2'],
  'R1-VAE': ['R1/CE1', 'R1/CE2'],
  'R2-TP': ['R2/CE1'],
  'R2-OBS': ['R2-OBS/CR1', 'R2/CE1'],
  'R3-ORAL': ['R3/CE1'],
  'R3-RAPPORT': ['R3/CE1'],
};

/**
 * The apprenticeship fixture with an option group (choose 1 of R4, R5): R4 can be completed by
 * apprentices only (its one épreuve is owed on that route), R5 on every route.
 */
export const optionsOnRoutesFixtureReferential: Referential = {
  ...apprenticeshipFixtureReferential,
  version: '1-options',
  optionGroups: [{ code: 'OPT', title: 'Approfondissement', choose: 1 }],
  blocs: [
    ...apprenticeshipFixtureReferential.blocs,
    {
      code: 'R4',
      optionGroup: 'OPT',
      optionLabel: 'Systèmes embarqués',
      competencies: [{ code: 'K5', title: 'Programmer un système embarqué' }],
      criteria: [{ code: 'CE1', text: 'Fonctionnement sur cible' }],
      epreuves: [
        {
          code: 'R4-ENT',
          title: 'Projet en entreprise',
          kind: 'projet',
          covers: ['K5'],
          deliverables: [],
          assessorKind: 'maitre-apprentissage',
          routes: ['apprentissage'],
        },
      ],
    },
    {
      code: 'R5',
      optionGroup: 'OPT',
      optionLabel: 'Données',
      competencies: [{ code: 'K6', title: 'Modéliser des données' }],
      criteria: [{ code: 'CE1', text: 'Justesse du modèle' }],
      epreuves: [{ code: 'R5-PROJ', title: 'Projet de données', kind: 'projet', covers: ['K6'], deliverables: [], assessorKind: 'jury-professionnels' }],
    },
  ],
};
