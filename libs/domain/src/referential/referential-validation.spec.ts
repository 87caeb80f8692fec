import { apprenticeshipFixtureReferential, fixtureReferential, optionsOnRoutesFixtureReferential } from '../testing/fixture-referential';
import { validateReferentialContent } from './referential-validation';
import { Bloc, Epreuve, Referential } from './referential.model';

/** The problems' codes and paths, for a référentiel changed by `change`. */
const problemsOf = (referential: Referential) => validateReferentialContent(referential).map(({ code, path }) => ({ code, path }));

/** The apprenticeship fixture with one épreuve changed. */
function withEpreuve(
  blocCode: string,
  epreuveCode: string,
  change: (epreuve: Epreuve) => Epreuve,
  base: Referential = apprenticeshipFixtureReferential,
): Referential {
  return {
    ...base,
    blocs: base.blocs.map((bloc) =>
      bloc.code !== blocCode ? bloc : { ...bloc, epreuves: bloc.epreuves.map((e) => (e.code === epreuveCode ? change(e) : e)) },
    ),
  };
}
const withBloc = (blocCode: string, change: (bloc: Bloc) => Bloc): Referential => ({
  ...apprenticeshipFixtureReferential,
  blocs: apprenticeshipFixtureReferential.blocs.map((bloc) => (bloc.code === blocCode ? change(bloc) : bloc)),
});

describe('content rules of référentiels as they are written (issue 15)', () => {
  it('accepts rows without titles, shared criteria, routes, observations and declared assessor kinds', () => {
    expect(problemsOf(apprenticeshipFixtureReferential)).toEqual([]);
    expect(problemsOf(fixtureReferential)).toEqual([]);
  });

  it('refuses an épreuve on which no criterion can be ruled: it could never be assessed', () => {
    const bare: Referential = {
      ...fixtureReferential,
      blocs: fixtureReferential.blocs.map((bloc) =>
        bloc.code !== 'BC02' ? bloc : { ...bloc, epreuves: [...bloc.epreuves, { ...bloc.epreuves[0], code: 'E2-BIS', criteria: [] }] },
      ),
    };
    expect(problemsOf(bare)).toEqual([{ code: 'REFERENTIAL.UNASSESSABLE_EPREUVE', path: '/blocs/1/epreuves/1' }]);
  });

  it('refuses an assessor kind the référentiel does not declare', () => {
    expect(problemsOf(withEpreuve('R2', 'R2-TP', (e) => ({ ...e, assessorKind: 'tuteur' })))).toEqual([
      { code: 'REFERENTIAL.UNKNOWN_ASSESSOR_KIND', path: '/blocs/1/epreuves/0/assessorKind' },
    ]);
  });

  it('refuses an épreuve owed on a route the certification is not open to', () => {
    expect(problemsOf(withEpreuve('R1', 'R1-VAE', (e) => ({ ...e, routes: ['vae', 'candidat-libre'] })))).toEqual([
      { code: 'REFERENTIAL.ROUTE_NOT_OPEN', path: '/blocs/0/epreuves/2/routes/1' },
    ]);
  });

  it('refuses a structure a candidate on some route could never complete', () => {
    // Without the VAE épreuve, a VAE candidate has nothing that rules on R1's criteria.
    const noVae = withBloc('R1', (bloc) => ({ ...bloc, epreuves: bloc.epreuves.filter((e) => e.code !== 'R1-VAE') }));
    expect(problemsOf(noVae)).toEqual([
      { code: 'REFERENTIAL.INCOMPLETABLE_ON_ROUTE', path: '/blocs/0/competencies/0' },
      { code: 'REFERENTIAL.INCOMPLETABLE_ON_ROUTE', path: '/blocs/0/competencies/1' },
    ]);
  });

  describe('option groups on each route: enough blocs of each group can be completed there', () => {
    const options = optionsOnRoutesFixtureReferential;
    /** The options fixture with a bloc of it changed. */
    const withOptionBloc = (blocCode: string, change: (bloc: Bloc) => Bloc, base: Referential = options): Referential => ({
      ...base,
      blocs: base.blocs.map((bloc) => (bloc.code === blocCode ? change(bloc) : bloc)),
    });
    /** R5's épreuve owed on one route only. */
    const r5OnlyOn = (route: 'apprentissage' | 'vae', base: Referential = options) =>
      withOptionBloc('R5', (bloc) => ({ ...bloc, epreuves: bloc.epreuves.map((e) => ({ ...e, routes: [route] })) }), base);

    it('accepts an option bloc that cannot be completed on a route while another bloc of its group can', () => {
      // R4 is for apprentices only; a VAE candidate takes R5.
      expect(problemsOf(options)).toEqual([]);
    });

    it('refuses a group of which fewer blocs than it asks to choose can be completed on some route, pointing at the group', () => {
      const problems = validateReferentialContent(r5OnlyOn('apprentissage'));
      expect(problems.map(({ code, path }) => ({ code, path }))).toEqual([{ code: 'REFERENTIAL.INCOMPLETABLE_ON_ROUTE', path: '/optionGroups/0' }]);
      expect(problems[0].message).toContain('vae');
      expect(problems[0].message).toContain('R4, R5');
    });

    it('counts the blocs completable on each route on their own: each route short of them is reported', () => {
      // R5 for VAE candidates only, R4 for apprentices only: one of them on each route, enough for choose 1, not for choose 2.
      expect(problemsOf(r5OnlyOn('vae'))).toEqual([]);
      const chooseTwo: Referential = { ...r5OnlyOn('vae'), optionGroups: [{ code: 'OPT', title: 'Approfondissement', choose: 2 }] };
      expect(problemsOf(chooseTwo)).toEqual([
        { code: 'REFERENTIAL.INCOMPLETABLE_ON_ROUTE', path: '/optionGroups/0' },
        { code: 'REFERENTIAL.INCOMPLETABLE_ON_ROUTE', path: '/optionGroups/0' },
      ]);
    });

    it('a bloc of the group is incompletable on a route as soon as one of its competencies is', () => {
      // R5 gains a competency on which only an épreuve owed to apprentices rules: on the VAE route, neither R4 nor R5 can be completed.
      const partly = withOptionBloc('R5', (bloc) => ({
        ...bloc,
        competencies: [...bloc.competencies, { code: 'K7', title: 'Industrialiser' }],
        criteria: [{ code: 'CE1', text: 'Justesse du modèle', competencies: ['K6'] }],
        epreuves: [
          ...bloc.epreuves.map((e) => ({ ...e, covers: ['K6'] })),
          {
            code: 'R5-ENT',
            title: 'Mise en production',
            kind: 'projet',
            covers: ['K7'],
            criteria: [{ code: 'CR1', text: 'Déploiement' }],
            deliverables: [],
            assessorKind: 'maitre-apprentissage',
            routes: ['apprentissage'],
          },
        ],
      }));
      expect(problemsOf(partly)).toEqual([{ code: 'REFERENTIAL.INCOMPLETABLE_ON_ROUTE', path: '/optionGroups/0' }]);
    });

    it('a mandatory bloc is still checked competency by competency, and a group with too few blocs is reported once, as such', () => {
      const mandatoryR4 = withOptionBloc('R4', ({ optionGroup: _group, optionLabel: _label, ...bloc }) => bloc);
      expect(problemsOf(mandatoryR4)).toEqual([{ code: 'REFERENTIAL.INCOMPLETABLE_ON_ROUTE', path: '/blocs/3/competencies/0' }]);
      const tooFew: Referential = { ...options, optionGroups: [{ code: 'OPT', title: 'Approfondissement', choose: 3 }] };
      expect(problemsOf(tooFew)).toEqual([{ code: 'REFERENTIAL.UNSATISFIABLE_OPTION_GROUP', path: '/optionGroups/0/choose' }]);
    });
  });

  it("refuses the jury's weighing where blocs are validated automatically", () => {
    const automatic: Referential = {
      ...apprenticeshipFixtureReferential,
      validationPolicy: { blocValidation: 'automatic', competencyAcquisition: 'all-criteria-met' },
    };
    expect(problemsOf(automatic)).toEqual([{ code: 'REFERENTIAL.JURY_WEIGHING_NEEDS_JURY', path: '/blocs/2/criteriaRule' }]);
    const observed = withEpreuve('R2', 'R2-OBS', (e) => ({ ...e, continuous: { rule: 'jury-weighs' } }), automatic);
    expect(problemsOf(observed)).toContainEqual({ code: 'REFERENTIAL.JURY_WEIGHING_NEEDS_JURY', path: '/blocs/1/epreuves/1/continuous/rule' });
  });

  it('refuses a bloc criterion bearing on a competency of another bloc, and a bloc code that is also a competency code', () => {
    expect(problemsOf(withBloc('R2', (bloc) => ({ ...bloc, criteria: [{ code: 'CE1', text: 'x', competencies: ['K1'] }] })))).toContainEqual({
      code: 'REFERENTIAL.UNKNOWN_COMPETENCY',
      path: '/blocs/1/criteria/0/competencies/0',
    });
    expect(problemsOf(withBloc('R3', (bloc) => ({ ...bloc, code: 'K4' })))).toContainEqual({ code: 'REFERENTIAL.DUPLICATE_CODE', path: '/blocs/2/code' });
  });

  it('refuses a registration that ends before it was decided', () => {
    const registered: Referential = {
      ...apprenticeshipFixtureReferential,
      certification: { ...apprenticeshipFixtureReferential.certification, registration: { decisionDate: '2024-07-11', endDate: '2024-01-01' } },
    };
    expect(problemsOf(registered)).toEqual([{ code: 'REFERENTIAL.REGISTRATION_ENDS_BEFORE_DECISION', path: '/certification/registration/endDate' }]);
  });

  it('accepts what a file assumes beside what it states, and refuses a statement both stated and assumed', () => {
    const certification = apprenticeshipFixtureReferential.certification;
    const { level: _level, ...withoutLevel } = certification;
    const assuming: Referential = {
      ...apprenticeshipFixtureReferential,
      certification: {
        ...withoutLevel,
        registration: { decisionDate: '2024-07-11' },
        assumed: { level: 7, rncpCode: 'RNCP00000', registration: { decisionReference: 'Décision n° 1' } },
      },
    };
    expect(problemsOf(assuming)).toEqual([]);
    const both: Referential = {
      ...apprenticeshipFixtureReferential,
      certification: {
        ...certification,
        registration: { decisionDate: '2024-07-11' },
        assumed: { level: 6, registration: { decisionDate: '2024-07-01', decisionReference: 'Décision n° 1' } },
      },
    };
    expect(problemsOf(both)).toEqual([
      { code: 'REFERENTIAL.ASSUMED_AND_STATED', path: '/certification/assumed/registration/decisionDate' },
      { code: 'REFERENTIAL.ASSUMED_AND_STATED', path: '/certification/assumed/level' },
    ]);
  });
});
