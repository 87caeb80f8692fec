import { ForbiddenError, IllegalStateError, ValidationError } from '../shared/errors';
import { Actor } from '../shared/actor';
import { apprenticeshipCriteria, apprenticeshipFixtureReferential, optionsOnRoutesFixtureReferential } from '../testing/fixture-referential';
import { admin, at, cmd, history, jury, passBloc, specFor } from '../testing/enrollment-fixtures';
import { transferInCommand } from './enrollment.decider';
import { CriterionResult, EnrollmentCommand } from './enrollment.commands';
import { EnrollmentEvent } from './enrollment.events';
import { owedEpreuves, PathEvidence } from './enrollment.progress';
import { ActiveEnrollment, foldEnrollment } from './enrollment.state';
import { indexReferential } from '../referential/referential-index';

/**
 * Issue 15: référentiels as they are written — criteria stated once per row and combined across its
 * épreuves, épreuves owed on some routes, the maître d'apprentissage, observations over the training.
 */
const referential = apprenticeshipFixtureReferential;
const spec = specFor(referential);
const master: Actor = { id: 'master-1', role: 'assessor' };
const teacher: Actor = { id: 'assessor-1', role: 'assessor' };
const apprentice = cmd.enroll({ accessRoute: 'apprentissage', optionBlocs: [], apprenticeship: { masterId: master.id, company: 'Acme' } }, referential);
const vaeCandidate = cmd.enroll({ accessRoute: 'vae', optionBlocs: [] }, referential);

const resultsOf = (epreuve: string, met: boolean | ((criterion: string) => boolean) = true): CriterionResult[] =>
  apprenticeshipCriteria[epreuve].map((criterion) => ({ criterion, met: typeof met === 'function' ? met(criterion) : met }));

/** Schedules, holds (on `day`) and assesses one sitting. */
function sitting(id: string, epreuve: string, by: Actor, met: boolean | ((criterion: string) => boolean) = true, day = 10): EnrollmentCommand[] {
  return [
    cmd.schedule(id, epreuve, at(day - 1), [by.id]),
    cmd.hold(id, [], [], at(day)),
    { type: 'RecordAssessment', data: { assessmentId: `a-${id}`, sittingId: id, results: resultsOf(epreuve, met), by, now: at(day) } },
  ];
}

const stateAfter = (commands: EnrollmentCommand[]): ActiveEnrollment => foldEnrollment(history(commands, referential)) as ActiveEnrollment;
const typesOf = (events: readonly EnrollmentEvent[]) => events.map((e) => e.type);

describe('criteria stated once for a row, ruled through each of its épreuves', () => {
  it('one modality passed leaves the competencies owed, and the path and the jury name the épreuve still owed', () => {
    const given = [apprentice, ...sitting('s1', 'R1-ACA', teacher)];
    const state = stateAfter(given);
    expect(state.acquiredCompetencies).toEqual({});
    expect(new PathEvidence(state, indexReferential(referential)).competency('K1')).toEqual({ status: 'owed', epreuves: ['R1-ENT'] });
    expect(owedEpreuves(state, referential)).toEqual([
      { bloc: 'R1', epreuves: ['R1-ENT'] },
      { bloc: 'R2', epreuves: ['R2-TP', 'R2-OBS'] },
      { bloc: 'R3', epreuves: ['R3-ORAL', 'R3-RAPPORT'] },
    ]);
    const error = spec.given(history(given, referential)).when(cmd.validateBloc('R1')).thenThrows(IllegalStateError, 'BLOC.NOT_VALIDATABLE');
    expect(error.details).toMatchObject({ missingCompetencies: ['K1', 'K2'], owedEpreuves: ['R1-ENT'] });
    expect(error.message).toContain('R1-ENT');
  });

  it('both modalities passed acquire the competencies on the evidence of both, and the row becomes validatable', () => {
    const events = spec
      .given(
        history(
          [apprentice, ...sitting('s1', 'R1-ACA', teacher), cmd.schedule('s2', 'R1-ENT', at(11), [master.id]), cmd.hold('s2', [], [], at(12))],
          referential,
        ),
      )
      .when({ type: 'RecordAssessment', data: { assessmentId: 'a-s2', sittingId: 's2', results: resultsOf('R1-ENT'), by: master, now: at(12) } })
      .events();
    expect(typesOf(events)).toEqual(['AssessmentRecorded', 'CompetencyAcquired', 'CompetencyAcquired', 'BlocBecameValidatable']);
    expect(events[0].data).toMatchObject({ capacity: 'maitre-apprentissage', by: master });
    const k1 = events[1] as Extract<EnrollmentEvent, { type: 'CompetencyAcquired' }>;
    expect(k1.data.evidence.map((e) => e.assessmentId)).toEqual(['a-s1', 'a-s2']);
  });

  it('a VAE candidate owes the VAE épreuve alone, and cannot be scheduled for an apprenticeship épreuve', () => {
    const state = stateAfter([vaeCandidate, ...sitting('s1', 'R1-VAE', { id: 'jury-pro', role: 'assessor' })]);
    expect(Object.keys(state.acquiredCompetencies).sort()).toEqual(['K1', 'K2']);
    spec
      .given(history([vaeCandidate], referential))
      .when(cmd.schedule('s2', 'R1-ENT', at(10), [master.id]))
      .thenThrows(IllegalStateError, 'SITTING.EPREUVE_NOT_ON_ROUTE');
  });
});

describe("the maître d'apprentissage", () => {
  it('is named at enrollment, is the only one an épreuve of that kind is assigned to, and the sitting says in which capacity', () => {
    const events = history([apprentice, cmd.schedule('s1', 'R1-ENT', at(10), [master.id])], referential);
    expect(events[0].data).toMatchObject({ apprenticeship: { masterId: master.id, company: 'Acme' } });
    expect(events[1].data).toMatchObject({ assessorKind: 'maitre-apprentissage', attempt: 1, observation: 1 });
  });
});

describe('observations over the training', () => {
  it('several observations may be open at once and none is a retake', () => {
    const events = history([apprentice, cmd.schedule('o1', 'R1-ENT', at(10), [master.id]), cmd.schedule('o2', 'R1-ENT', at(40), [master.id])], referential);
    expect(events.slice(1).map((e) => e.data)).toMatchObject([
      { attempt: 1, observation: 1 },
      { attempt: 1, observation: 2 },
    ]);
  });

  it("under 'last', the latest observation gives the result: a later failed one takes back what an earlier one showed, before the row is validated", () => {
    const given = [apprentice, ...sitting('s1', 'R1-ACA', teacher), ...sitting('o1', 'R1-ENT', master, true, 20)];
    expect(Object.keys(stateAfter(given).acquiredCompetencies).sort()).toEqual(['K1', 'K2']);
    const failed = history([...given, ...sitting('o2', 'R1-ENT', master, (c) => c !== 'R1/CE2', 30)], referential);
    const revoked = failed.filter((e) => e.type === 'CompetencyAcquisitionRevoked');
    expect(revoked.map((e) => e.data)).toMatchObject([{ competencyCode: 'K2', cause: 'later-observation' }]);
    expect(failed.at(-1)).toMatchObject({ type: 'BlocNoLongerValidatable', data: { blocCode: 'R1', missingCompetencies: ['K2'] } });
    // A third observation that meets it again gives it back.
    const again = stateAfter([...given, ...sitting('o2', 'R1-ENT', master, (c) => c !== 'R1/CE2', 30), ...sitting('o3', 'R1-ENT', master, true, 40)]);
    expect(Object.keys(again.acquiredCompetencies).sort()).toEqual(['K1', 'K2']);
  });

  it("under 'all', one failed observation keeps the criterion unmet", () => {
    const passedTp = [apprentice, ...sitting('s1', 'R2-TP', teacher)];
    const observed = stateAfter([...passedTp, ...sitting('o1', 'R2-OBS', teacher, true, 20)]);
    expect(observed.acquiredCompetencies.K3).toBeDefined();
    const withFailure = stateAfter([
      ...passedTp,
      ...sitting('o1', 'R2-OBS', teacher, (c) => c !== 'R2-OBS/CR1', 20),
      ...sitting('o2', 'R2-OBS', teacher, true, 30),
    ]);
    expect(withFailure.acquiredCompetencies.K3).toBeUndefined();
  });
});

describe('a row the jury weighs', () => {
  it('is validatable once each of its épreuves is assessed, whatever the results, and the jury’s validation acquires its competencies', () => {
    const oneAssessed = [apprentice, ...sitting('s1', 'R3-ORAL', { id: 'jury-pro', role: 'assessor' }, false)];
    const error = spec.given(history(oneAssessed, referential)).when(cmd.validateBloc('R3')).thenThrows(IllegalStateError, 'BLOC.NOT_VALIDATABLE');
    expect(error.details).toMatchObject({ owedEpreuves: ['R3-RAPPORT'] });
    const both = history([...oneAssessed, ...sitting('s2', 'R3-RAPPORT', teacher, true, 20)], referential);
    expect(both.at(-1)).toMatchObject({ type: 'BlocBecameValidatable', data: { blocCode: 'R3', rule: 'jury-weighs' } });
    const decided = spec.given(both).when(cmd.validateBloc('R3')).events();
    expect(typesOf(decided)).toEqual(['CompetencyAcquired', 'BlocValidated']);
    expect(decided[0].data).toMatchObject({ competencyCode: 'K4', rule: 'jury-weighed', by: jury, evidence: [{ criterion: 'R3/CE1', assessmentId: 'a-s2' }] });
    expect(decided[1].data).toMatchObject({ blocCode: 'R3', decidedBy: 'jury', rule: 'jury-weighs', assessments: ['a-s2'] });
  });
});

describe('enrollment particulars', () => {
  it('records the training start date, and refuses one that is not a calendar date', () => {
    const [enrolled] = history([cmd.enroll({ accessRoute: 'vae', optionBlocs: [], trainingStartDate: '2025-09-01' }, referential)], referential);
    expect(enrolled.data).toMatchObject({ trainingStartDate: '2025-09-01' });
    expect(() => history([cmd.enroll({ accessRoute: 'vae', optionBlocs: [], trainingStartDate: '01/09/2025' }, referential)], referential)).toThrow(
      /calendar date/,
    );
  });
});

describe("changing the maître d'apprentissage", () => {
  const successor: Actor = { id: 'master-2', role: 'assessor' };
  /** R1 acquired on the academic sequence and a first observation by the first master; a second observation held, a third scheduled, R2's TP scheduled. */
  const underWay: EnrollmentCommand[] = [
    apprentice,
    ...sitting('s1', 'R1-ACA', teacher),
    ...sitting('o1', 'R1-ENT', master, true, 12),
    cmd.schedule('o2', 'R1-ENT', at(13), [master.id]),
    cmd.hold('o2', [], [], at(13)),
    cmd.schedule('o3', 'R1-ENT', at(40), [master.id]),
    cmd.schedule('tp', 'R2-TP', at(40), [teacher.id]),
  ];
  const changed = [...underWay, cmd.changeMaster(successor.id, 'Globex')];

  it('records the new master and company, the former ones and why, and hands them the sittings of their épreuves not yet assessed', () => {
    spec
      .given(history(underWay, referential))
      .when(cmd.changeMaster(successor.id, ' Globex '))
      .then([
        {
          type: 'ApprenticeshipMasterChanged',
          data: {
            apprenticeship: { masterId: successor.id, company: 'Globex' },
            previous: { masterId: master.id, company: 'Acme' },
            reason: 'changement de tuteur',
            reassignedSittings: ['o2', 'o3'],
            by: admin,
            at: at(15),
          },
        },
      ]);
    const state = stateAfter(changed);
    expect(state.apprenticeship).toEqual({ masterId: successor.id, company: 'Globex' });
    expect([state.sittings.o1, state.sittings.o2, state.sittings.o3, state.sittings.tp].map((s) => s.assessorIds)).toEqual([
      [master.id],
      [successor.id],
      [successor.id],
      [teacher.id],
    ]);
  });

  it('takes back nothing the former master assessed: R1 stays acquired and validatable', () => {
    const before = stateAfter(underWay);
    const after = stateAfter(changed);
    expect(Object.keys(after.acquiredCompetencies).sort()).toEqual(['K1', 'K2']);
    expect(after.acquiredCompetencies).toEqual(before.acquiredCompetencies);
    expect(after.blocs.R1).toEqual({ status: 'validatable' });
    expect(after.assessments['a-o1']).toEqual(before.assessments['a-o1']);
  });

  it('from then on, the épreuves of the maître d’apprentissage are assigned to and assessed by the new one alone', () => {
    const given = history(changed, referential);
    const error = spec
      .given(given)
      .when(cmd.schedule('o4', 'R1-ENT', at(50), [master.id]))
      .thenThrows(ValidationError, 'SITTING.NOT_THE_APPRENTICESHIP_MASTER');
    expect(error.details).toMatchObject({ expected: [successor.id] });
    expect(
      spec
        .given(given)
        .when(cmd.schedule('o4', 'R1-ENT', at(50), [successor.id]))
        .events()[0].data,
    ).toMatchObject({ assessorIds: [successor.id], observation: 4 });
    const assess = (by: Actor): EnrollmentCommand => ({
      type: 'RecordAssessment',
      data: { assessmentId: 'a-o2', sittingId: 'o2', results: resultsOf('R1-ENT'), by, now: at(16) },
    });
    spec.given(given).when(assess(master)).thenThrows(ForbiddenError, 'ASSESSMENT.ASSESSOR_NOT_ASSIGNED');
    expect(spec.given(given).when(assess(successor)).events()[0]).toMatchObject({
      type: 'AssessmentRecorded',
      data: { capacity: 'maitre-apprentissage', by: successor },
    });
  });

  it('what the former master assessed is corrected by the jury, no longer by them', () => {
    const given = history(changed, referential);
    const correct = (by: Actor): EnrollmentCommand => ({
      type: 'CorrectAssessment',
      data: { correctionId: 'c1', assessmentId: 'a-o1', results: resultsOf('R1-ENT'), reason: 'erreur de saisie', by, now: at(16) },
    });
    spec.given(given).when(correct(master)).thenThrows(ForbiddenError, 'ASSESSMENT.FORMER_APPRENTICESHIP_MASTER');
    expect(spec.given(given).when(correct(jury)).events()[0]).toMatchObject({ type: 'AssessmentCorrected', data: { capacity: 'jury' } });
  });

  it('naming the master and company already named records nothing; a new company alone is recorded, with no sitting to hand over', () => {
    spec.given(history(underWay, referential)).when(cmd.changeMaster(master.id, 'Acme')).then([]);
    const [moved] = spec.given(history(underWay, referential)).when(cmd.changeMaster(master.id, 'Globex')).events();
    expect(moved.data).toMatchObject({ apprenticeship: { masterId: master.id, company: 'Globex' }, reassignedSittings: [] });
  });

  it('names one for an apprenticeship enrolled before it was asked, which can then be assigned its épreuves', () => {
    const legacy = history([apprentice], referential).map((e) =>
      e.type === 'CandidateEnrolled' ? ({ ...e, data: { ...e.data, apprenticeship: undefined } } as EnrollmentEvent) : e,
    );
    const [named] = spec.given(legacy).when(cmd.changeMaster(successor.id, 'Globex')).events();
    expect(named.data).not.toHaveProperty('previous');
    spec
      .given([...legacy, named])
      .when(cmd.schedule('o1', 'R1-ENT', at(20), [successor.id]))
      .events();
  });

  it('is refused where the route has no maître d’apprentissage, and on a closed path, changing nothing', () => {
    spec
      .given(history([vaeCandidate], referential))
      .when(cmd.changeMaster(successor.id))
      .thenThrows(IllegalStateError, 'APPRENTICESHIP.NOT_AN_APPRENTICESHIP');
    spec
      .given(history([apprentice, cmd.withdraw()], referential))
      .when(cmd.changeMaster(successor.id))
      .thenThrows(IllegalStateError, 'ENROLLMENT.WITHDRAWN');
    const certified = [cmd.enroll(), ...passBloc('BC01'), ...passBloc('BC02'), ...passBloc('BC04'), cmd.validateRequirement(), cmd.award()];
    specFor().given(history(certified)).when(cmd.changeMaster(successor.id)).thenThrows(IllegalStateError, 'ENROLLMENT.CERTIFIED');
    spec
      .given(history([apprentice], referential))
      .when({ ...cmd.changeMaster(successor.id), data: { ...cmd.changeMaster(successor.id).data, reason: ' ' } } as EnrollmentCommand)
      .thenThrows(ValidationError, 'COMMAND.FIELD_REQUIRED');
  });

  it('goes with the path when it is transferred: the new enrollment names the new master', () => {
    const transferred = stateAfter([
      ...changed,
      {
        type: 'TransferOut',
        data: { toEnrollmentId: 'enr-2', toReferentialId: referential.referential, toVersion: '2', carriedBlocs: [], by: jury, now: at(60) },
      },
    ]);
    expect(transferInCommand('enr-1', transferred).data.apprenticeship).toEqual({ masterId: successor.id, company: 'Globex' });
  });
});

describe('an option that cannot be completed on the route', () => {
  const options = optionsOnRoutesFixtureReferential;
  const optionSpec = specFor(options);
  const enrollOn = (accessRoute: 'apprentissage' | 'vae', optionBlocs: string[]) =>
    cmd.enroll({ accessRoute, optionBlocs, ...(accessRoute === 'apprentissage' ? { apprenticeship: { masterId: master.id, company: 'Acme' } } : {}) }, options);

  it('is refused at enrollment, naming the bloc, the route and the competencies it could never acquire there', () => {
    const error = optionSpec
      .given([])
      .when(enrollOn('vae', ['R4']))
      .thenThrows(ValidationError, 'OPTION.INCOMPLETABLE_ON_ROUTE');
    expect(error.details).toEqual({ field: 'optionBlocs', bloc: 'R4', route: 'vae', competencies: ['K5'] });
    expect(
      optionSpec
        .given([])
        .when(enrollOn('vae', ['R5']))
        .events()[0].type,
    ).toBe('CandidateEnrolled');
    expect(
      optionSpec
        .given([])
        .when(enrollOn('apprentissage', ['R4']))
        .events()[0].type,
    ).toBe('CandidateEnrolled');
  });

  it('is refused when chosen later, and changes nothing', () => {
    const enrolled = history([enrollOn('vae', [])], options);
    optionSpec
      .given(enrolled)
      .when(cmd.chooseOption(['R4']))
      .thenThrows(ValidationError, 'OPTION.INCOMPLETABLE_ON_ROUTE');
    expect(
      optionSpec
        .given(enrolled)
        .when(cmd.chooseOption(['R5']))
        .events()[0],
    ).toMatchObject({ type: 'OptionChosen', data: { optionBlocs: ['R5'] } });
  });

  it('chosen before the route was checked, it is kept: the path may still change its other choices', () => {
    // A path stored with R4 on the VAE route (as enrollment allowed before): choosing again keeps it without asking.
    const stored = history([enrollOn('vae', ['R5'])], options).map((e) =>
      e.type === 'CandidateEnrolled' ? ({ ...e, data: { ...e.data, optionBlocs: ['R4'] } } as EnrollmentEvent) : e,
    );
    expect(
      optionSpec
        .given(stored)
        .when(cmd.chooseOption(['R4']))
        .events(),
    ).toEqual([]);
    expect(
      optionSpec
        .given(stored)
        .when(cmd.chooseOption(['R5']))
        .events()[0].type,
    ).toBe('OptionChosen');
  });
});
