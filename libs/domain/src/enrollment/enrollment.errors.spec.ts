import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConflictError, DomainError, ForbiddenError, IllegalStateError, NotFoundError, ValidationError } from '../shared/errors';
import { Referential } from '../referential/referential.model';
import { apprenticeshipFixtureReferential, optionsOnRoutesFixtureReferential } from '../testing/fixture-referential';
import { EnrollmentCommand } from './enrollment.commands';
import { EnrollmentContext } from './enrollment.decider';
import { EnrollmentEvent } from './enrollment.events';
import {
  cmd,
  T0,
  at,
  assessor,
  candidate,
  history,
  jury,
  otherAssessor,
  passBloc,
  referent,
  results,
  sit,
  specFor,
  tiersTemps,
  admin,
  fixtureTimedParts,
} from '../testing/enrollment-fixtures';

type ErrorClass = abstract new (...args: never[]) => DomainError;
/** A command with a field the api's body would not let through (its type says so), as a decider must still refuse it. */
const withData = (command: EnrollmentCommand, extra: Record<string, unknown>): EnrollmentCommand =>
  ({ ...command, data: { ...command.data, ...extra } }) as EnrollmentCommand;
interface ErrorCase {
  readonly code: string;
  readonly kind: ErrorClass;
  readonly given: EnrollmentCommand[];
  readonly when: EnrollmentCommand;
  /** Another référentiel than the fixture's, and what else the decision is given. */
  readonly referential?: Referential;
  /** The history as stored, where commands could not write it today. */
  readonly givenEvents?: EnrollmentEvent[];
  readonly context?: Omit<EnrollmentContext, 'referential'>;
}

const apprentice = { accessRoute: 'apprentissage' as const, optionBlocs: [], apprenticeship: { masterId: 'master-1', company: 'Acme' } };
const enrolledApprentice = [cmd.enroll(apprentice, apprenticeshipFixtureReferential)];

const enrolled = [cmd.enroll()];
const heldE1 = [...enrolled, cmd.schedule('s1', 'E1'), cmd.hold('s1', fixtureTimedParts('E1'))];
const bc01Validated = [...enrolled, ...passBloc('BC01')];
const withdrawn = [...enrolled, cmd.withdraw()];
const certified = [...enrolled, ...passBloc('BC01'), ...passBloc('BC02'), ...passBloc('BC04'), cmd.validateRequirement(), cmd.award()];
const transferred: EnrollmentCommand[] = [
  ...bc01Validated,
  {
    type: 'TransferOut',
    data: {
      toEnrollmentId: 'enr-2',
      toReferentialId: 'fixture-cert',
      toVersion: '2',
      carriedBlocs: [{ fromBloc: 'BC01', toBloc: 'BC01' }],
      by: admin,
      now: at(30),
    },
  },
];

const cases: ErrorCase[] = [
  // the référentiel's routes, its maître d'apprentissage, and a version withdrawn from new enrollments
  {
    code: 'ENROLLMENT.ROUTE_NOT_OPEN',
    kind: ValidationError,
    given: [],
    when: cmd.enroll({ ...apprentice, accessRoute: 'formation-continue' }, apprenticeshipFixtureReferential),
    referential: apprenticeshipFixtureReferential,
  },
  {
    code: 'ENROLLMENT.APPRENTICESHIP_MASTER_REQUIRED',
    kind: ValidationError,
    given: [],
    when: cmd.enroll({ ...apprentice, apprenticeship: undefined }, apprenticeshipFixtureReferential),
    referential: apprenticeshipFixtureReferential,
  },
  {
    code: 'ENROLLMENT.VERSION_WITHDRAWN',
    kind: IllegalStateError,
    given: [],
    when: cmd.enroll(),
    context: { withdrawnFromNewEnrollments: { at: T0, reason: 'remplacée par la version 2' } },
  },
  {
    code: 'SITTING.EPREUVE_NOT_ON_ROUTE',
    kind: IllegalStateError,
    given: enrolledApprentice,
    when: cmd.schedule('s1', 'R1-VAE'),
    referential: apprenticeshipFixtureReferential,
  },
  {
    code: 'SITTING.NOT_THE_APPRENTICESHIP_MASTER',
    kind: ValidationError,
    given: enrolledApprentice,
    when: cmd.schedule('s1', 'R1-ENT'),
    referential: apprenticeshipFixtureReferential,
  },
  {
    // An apprenticeship enrolled before its maître d'apprentissage was asked for has none to assign.
    code: 'SITTING.NO_APPRENTICESHIP_MASTER',
    kind: IllegalStateError,
    given: [],
    givenEvents: history([cmd.enroll(apprentice, apprenticeshipFixtureReferential)], apprenticeshipFixtureReferential).map((e) =>
      e.type === 'CandidateEnrolled' ? { ...e, data: { ...e.data, apprenticeship: undefined } } : e,
    ),
    when: cmd.schedule('s1', 'R1-ENT', at(10), ['master-1']),
    referential: apprenticeshipFixtureReferential,
  },
  // changing the maître d'apprentissage: a route that has none; the former one no longer corrects what they assessed
  {
    code: 'APPRENTICESHIP.NOT_AN_APPRENTICESHIP',
    kind: IllegalStateError,
    given: enrolled,
    when: cmd.changeMaster('master-2'),
  },
  {
    code: 'ASSESSMENT.FORMER_APPRENTICESHIP_MASTER',
    kind: ForbiddenError,
    given: [
      ...enrolledApprentice,
      cmd.schedule('o1', 'R1-ENT', at(10), ['master-1']),
      cmd.hold('o1'),
      {
        type: 'RecordAssessment',
        data: {
          assessmentId: 'a1',
          sittingId: 'o1',
          results: [
            { criterion: 'R1/CE1', met: true },
            { criterion: 'R1/CE2', met: false },
          ],
          by: { id: 'master-1', role: 'assessor' },
          now: at(11),
        },
      },
      cmd.changeMaster('master-2'),
    ],
    when: {
      type: 'CorrectAssessment',
      data: {
        correctionId: 'c1',
        assessmentId: 'a1',
        results: [
          { criterion: 'R1/CE1', met: true },
          { criterion: 'R1/CE2', met: true },
        ],
        reason: 'oubli',
        by: { id: 'master-1', role: 'assessor' },
        now: at(16),
      },
    },
    referential: apprenticeshipFixtureReferential,
  },
  // enrollment (R1) and the closed path (R13)
  { code: 'ENROLLMENT.NOT_FOUND', kind: NotFoundError, given: [], when: cmd.withdraw() },
  { code: 'ENROLLMENT.ALREADY_EXISTS', kind: ConflictError, given: enrolled, when: cmd.enroll() },
  { code: 'ENROLLMENT.VERSION_MISMATCH', kind: ValidationError, given: [], when: cmd.enroll({ version: '2' }) },
  { code: 'ENROLLMENT.UNKNOWN_ACCESS_ROUTE', kind: ValidationError, given: [], when: cmd.enroll({ accessRoute: 'par-correspondance' as never }) },
  { code: 'COMMAND.FIELD_REQUIRED', kind: ValidationError, given: [], when: cmd.enroll({ cohort: ' ' }) },
  { code: 'ENROLLMENT.WITHDRAWN', kind: IllegalStateError, given: withdrawn, when: cmd.validateBloc('BC01') },
  { code: 'ENROLLMENT.TRANSFERRED', kind: IllegalStateError, given: transferred, when: cmd.schedule('s9', 'E2') },
  { code: 'ENROLLMENT.CERTIFIED', kind: IllegalStateError, given: certified, when: cmd.award() },
  // option (R2)
  { code: 'OPTION.UNKNOWN_BLOC', kind: ValidationError, given: enrolled, when: cmd.chooseOption(['BC09']) },
  { code: 'OPTION.NOT_AN_OPTION_BLOC', kind: ValidationError, given: enrolled, when: cmd.chooseOption(['BC01']) },
  { code: 'OPTION.DUPLICATE_BLOC', kind: ValidationError, given: [], when: cmd.enroll({ optionBlocs: ['BC04', 'BC04'] }) },
  { code: 'OPTION.TOO_MANY_IN_GROUP', kind: ValidationError, given: enrolled, when: cmd.chooseOption(['BC03', 'BC04']) },
  {
    // An option whose only épreuve is owed to apprentices cannot be completed by a VAE candidate.
    code: 'OPTION.INCOMPLETABLE_ON_ROUTE',
    kind: ValidationError,
    given: [],
    when: cmd.enroll({ accessRoute: 'vae', optionBlocs: ['R4'] }, optionsOnRoutesFixtureReferential),
    referential: optionsOnRoutesFixtureReferential,
  },
  { code: 'OPTION.LOCKED', kind: IllegalStateError, given: [...enrolled, ...passBloc('BC04')], when: cmd.chooseOption(['BC03']) },
  // accommodations (R9)
  { code: 'ACCOMMODATION.NOT_REFERENT', kind: ForbiddenError, given: enrolled, when: cmd.grant('acc-1', tiersTemps, admin) },
  { code: 'ACCOMMODATION.ALREADY_EXISTS', kind: ConflictError, given: [...enrolled, cmd.grant()], when: cmd.grant() },
  { code: 'ACCOMMODATION.UNKNOWN_KIND', kind: ValidationError, given: enrolled, when: cmd.grant('acc-1', { ...tiersTemps, kind: 'diagnostic' as never }) },
  { code: 'ACCOMMODATION.EXTRA_TIME_REQUIRED', kind: ValidationError, given: enrolled, when: cmd.grant('acc-1', { ...tiersTemps, kind: 'extra-time' }) },
  {
    code: 'ACCOMMODATION.EXTRA_TIME_NOT_APPLICABLE',
    kind: ValidationError,
    given: enrolled,
    when: cmd.grant('acc-1', { ...tiersTemps, kind: 'adapted-supports', extraTime: { numerator: 1, denominator: 2 } }),
  },
  { code: 'ACCOMMODATION.INVALID_PERIOD', kind: ValidationError, given: enrolled, when: cmd.grant('acc-1', { ...tiersTemps, validUntil: '2025-01-01' }) },
  { code: 'COMMAND.INVALID_DATE', kind: ValidationError, given: enrolled, when: cmd.grant('acc-1', { ...tiersTemps, validFrom: 'demain' }) },
  {
    code: 'ACCOMMODATION.EMPTY_SCOPE',
    kind: ValidationError,
    given: enrolled,
    when: cmd.grant('acc-1', { ...tiersTemps, scope: { all: false, epreuves: [] } }),
  },
  {
    code: 'ACCOMMODATION.UNKNOWN_EPREUVE',
    kind: ValidationError,
    given: enrolled,
    when: cmd.grant('acc-1', { ...tiersTemps, scope: { all: false, epreuves: ['E9'] } }),
  },
  { code: 'ACCOMMODATION.NOT_FOUND', kind: NotFoundError, given: enrolled, when: cmd.end('acc-404') },
  { code: 'ACCOMMODATION.ENDED', kind: IllegalStateError, given: [...enrolled, cmd.grant(), cmd.end()], when: cmd.amend('acc-1', tiersTemps) },
  // consent (R10)
  { code: 'CONSENT.NOT_CANDIDATE', kind: ForbiddenError, given: enrolled, when: cmd.consent(jury) },
  { code: 'CONSENT.ALREADY_RECORDED', kind: IllegalStateError, given: [...enrolled, cmd.consent()], when: cmd.consent() },
  { code: 'CONSENT.NOT_RECORDED', kind: IllegalStateError, given: enrolled, when: cmd.withdrawConsent() },
  // sittings (R4, R11, R12)
  { code: 'SITTING.ALREADY_EXISTS', kind: ConflictError, given: [...enrolled, cmd.schedule('s1', 'E1')], when: cmd.schedule('s1', 'E2') },
  { code: 'SITTING.UNKNOWN_EPREUVE', kind: ValidationError, given: enrolled, when: cmd.schedule('s1', 'E9') },
  { code: 'SITTING.OPTION_NOT_CHOSEN', kind: IllegalStateError, given: enrolled, when: cmd.schedule('s1', 'E3') },
  { code: 'SITTING.BLOC_ALREADY_VALIDATED', kind: IllegalStateError, given: bc01Validated, when: cmd.schedule('s2', 'E1') },
  { code: 'SITTING.NO_ASSESSOR', kind: ValidationError, given: enrolled, when: cmd.schedule('s1', 'E1', at(10), []) },
  { code: 'SITTING.ATTEMPT_IN_PROGRESS', kind: IllegalStateError, given: [...enrolled, cmd.schedule('s1', 'E1')], when: cmd.schedule('s2', 'E1') },
  { code: 'SITTING.NOT_FOUND', kind: NotFoundError, given: enrolled, when: cmd.hold('s404') },
  { code: 'SITTING.ALREADY_HELD', kind: IllegalStateError, given: heldE1, when: cmd.hold('s1', fixtureTimedParts('E1')) },
  {
    code: 'SITTING.UNKNOWN_MODE',
    kind: ValidationError,
    given: [...enrolled, cmd.schedule('s1', 'E1')],
    when: withData(cmd.hold('s1', fixtureTimedParts('E1')), { mode: 'visio' }),
  },
  // what the accrochage declares of the registration: who took its initiative, and the VAE's voie on the vae route only
  { code: 'ENROLLMENT.UNKNOWN_REGISTRATION_INITIATIVE', kind: ValidationError, given: [], when: cmd.enroll({ registrationInitiative: 'school' as never }) },
  { code: 'ENROLLMENT.VAE_VOIE_OFF_ROUTE', kind: ValidationError, given: [], when: cmd.enroll({ vaeVoie: 'conge-vae' }) },
  { code: 'ENROLLMENT.UNKNOWN_VAE_VOIE', kind: ValidationError, given: [], when: cmd.enroll({ accessRoute: 'vae', vaeVoie: 'weekend' as never }) },
  {
    code: 'SITTING.ACCOMMODATION_NOT_APPLICABLE',
    kind: ValidationError,
    given: [...enrolled, cmd.schedule('s1', 'E1')],
    when: cmd.hold('s1', fixtureTimedParts('E1'), ['acc-1']),
  },
  { code: 'SITTING.TIMED_PART_MISSING', kind: ValidationError, given: [...enrolled, cmd.schedule('s1', 'E1')], when: cmd.hold('s1', []) },
  {
    code: 'SITTING.INVALID_DURATION',
    kind: ValidationError,
    given: [...enrolled, cmd.schedule('s1', 'E1')],
    when: cmd.hold('s1', [{ code: 'soutenance', actualDurationMinutes: 0 }]),
  },
  {
    code: 'SITTING.UNKNOWN_TIMED_PART',
    kind: ValidationError,
    given: [...enrolled, cmd.schedule('s1', 'E2')],
    when: cmd.hold('s1', [{ code: 'oral', actualDurationMinutes: 20 }]),
  },
  {
    code: 'SITTING.HELD_BEFORE_PREVIOUS_ATTEMPT',
    kind: ValidationError,
    given: [...enrolled, ...sit('s1', 'E1', false, fixtureTimedParts('E1')), cmd.schedule('s2', 'E1')],
    when: {
      type: 'RecordSittingHeld',
      data: { sittingId: 's2', heldAt: at(9), timedParts: fixtureTimedParts('E1'), accommodationsApplied: [], by: admin, now: at(12) },
    },
  },
  {
    code: 'SITTING.TIMED_PART_REPEATED',
    kind: ValidationError,
    given: [...enrolled, cmd.schedule('s1', 'E1')],
    when: cmd.hold('s1', [...fixtureTimedParts('E1'), ...fixtureTimedParts('E1')]),
  },
  {
    code: 'SITTING.ACCOMMODATION_REPEATED',
    kind: ValidationError,
    given: [...enrolled, cmd.grant(), cmd.schedule('s1', 'E1')],
    when: cmd.hold('s1', [{ code: 'soutenance', actualDurationMinutes: 40 }], ['acc-1', 'acc-1']),
  },
  {
    code: 'SITTING.EXTRA_TIME_NOT_GIVEN',
    kind: ValidationError,
    given: [...enrolled, cmd.grant(), cmd.schedule('s1', 'E1')],
    when: cmd.hold('s1', [{ code: 'soutenance', actualDurationMinutes: 30 }], ['acc-1']),
  },
  {
    code: 'SITTING.ASSESSOR_NOT_ASSIGNED',
    kind: ForbiddenError,
    given: [...enrolled, cmd.schedule('s1', 'E1')],
    when: {
      type: 'RecordSittingHeld',
      data: { sittingId: 's1', heldAt: at(10), timedParts: fixtureTimedParts('E1'), accommodationsApplied: [], by: otherAssessor, now: at(10) },
    },
  },
  {
    code: 'SITTING.HELD_IN_FUTURE',
    kind: ValidationError,
    given: [...enrolled, cmd.schedule('s1', 'E1')],
    when: {
      type: 'RecordSittingHeld',
      data: { sittingId: 's1', heldAt: at(30), timedParts: fixtureTimedParts('E1'), accommodationsApplied: [], by: admin, now: at(10) },
    },
  },
  // assessments (R5)
  { code: 'ASSESSMENT.SITTING_NOT_HELD', kind: IllegalStateError, given: [...enrolled, cmd.schedule('s1', 'E1')], when: cmd.assess('a1', 's1', results('E1')) },
  { code: 'ASSESSMENT.ASSESSOR_NOT_ASSIGNED', kind: ForbiddenError, given: heldE1, when: cmd.assess('a1', 's1', results('E1'), otherAssessor) },
  { code: 'ASSESSMENT.CRITERIA_MISMATCH', kind: ValidationError, given: heldE1, when: cmd.assess('a1', 's1', results('E1').slice(1)) },
  {
    code: 'ASSESSMENT.ALREADY_EXISTS',
    kind: ConflictError,
    given: [...heldE1, cmd.assess('a1', 's1', results('E1'))],
    when: cmd.assess('a1', 's1', results('E1')),
  },
  {
    code: 'ASSESSMENT.ALREADY_RECORDED',
    kind: IllegalStateError,
    given: [...heldE1, cmd.assess('a1', 's1', results('E1'))],
    when: cmd.assess('a2', 's1', results('E1')),
  },
  { code: 'ASSESSMENT.NOT_FOUND', kind: NotFoundError, given: heldE1, when: cmd.correct('c1', 'a404', results('E1')) },
  {
    code: 'ASSESSMENT.VOIDED',
    kind: IllegalStateError,
    given: [...bc01Validated, cmd.annulBloc('BC01')],
    when: cmd.correct('c1', 'assess-s-E1', results('E1')),
  },
  // blocs (R6, R7)
  { code: 'BLOC.UNKNOWN', kind: ValidationError, given: enrolled, when: cmd.validateBloc('BC09') },
  { code: 'BLOC.OPTION_NOT_CHOSEN', kind: IllegalStateError, given: enrolled, when: cmd.validateBloc('BC03') },
  {
    code: 'BLOC.NOT_VALIDATABLE',
    kind: IllegalStateError,
    given: [...enrolled, ...sit('s1', 'E1', (c) => c !== 'C2/CE1', fixtureTimedParts('E1'))],
    when: cmd.validateBloc('BC01'),
  },
  { code: 'BLOC.ALREADY_VALIDATED', kind: IllegalStateError, given: bc01Validated, when: cmd.validateBloc('BC01') },
  {
    code: 'DECISION.NOT_JURY',
    kind: ForbiddenError,
    given: [...enrolled, ...sit('s1', 'E1', true, fixtureTimedParts('E1'))],
    when: cmd.validateBloc('BC01', assessor),
  },
  { code: 'BLOC.NOT_VALIDATED', kind: IllegalStateError, given: enrolled, when: cmd.annulBloc('BC01') },
  {
    code: 'BLOC.UNKNOWN_ANNULMENT_REASON',
    kind: ValidationError,
    given: bc01Validated,
    when: { type: 'AnnulBloc', data: { blocCode: 'BC01', reason: 'erreur' as never, details: 'x', by: jury, now: at(40) } },
  },
  // full certification (R8)
  { code: 'REQUIREMENT.UNKNOWN', kind: ValidationError, given: enrolled, when: cmd.validateRequirement('SOUTENANCE-FINALE') },
  { code: 'REQUIREMENT.ALREADY_VALIDATED', kind: IllegalStateError, given: [...enrolled, cmd.validateRequirement()], when: cmd.validateRequirement() },
  {
    code: 'DECISION.UNKNOWN',
    kind: ValidationError,
    given: enrolled,
    when: { type: 'RecordFinalJuryDecision', data: { decision: 'ajourné' as never, place: 'Paris', reason: 'x', by: jury, now: at(30) } },
  },
  {
    code: 'CERTIFICATION.REQUIREMENTS_NOT_MET',
    kind: IllegalStateError,
    given: [...enrolled, ...passBloc('BC01'), ...passBloc('BC02'), ...passBloc('BC04')],
    when: cmd.award(),
  },
  // transfer (R1, R13)
  {
    code: 'TRANSFER.SAME_VERSION',
    kind: ValidationError,
    given: bc01Validated,
    when: { type: 'TransferOut', data: { toEnrollmentId: 'enr-2', toReferentialId: 'fixture-cert', toVersion: '1', carriedBlocs: [], by: admin, now: at(30) } },
  },
  {
    code: 'TRANSFER.BLOC_NOT_ACQUIRED',
    kind: IllegalStateError,
    given: bc01Validated,
    when: {
      type: 'TransferOut',
      data: {
        toEnrollmentId: 'enr-2',
        toReferentialId: 'fixture-cert',
        toVersion: '2',
        carriedBlocs: [{ fromBloc: 'BC02', toBloc: 'BC02' }],
        by: admin,
        now: at(30),
      },
    },
  },
  {
    code: 'TRANSFER.DUPLICATE_BLOC',
    kind: ValidationError,
    given: bc01Validated,
    when: {
      type: 'TransferOut',
      data: {
        toEnrollmentId: 'enr-2',
        toReferentialId: 'fixture-cert',
        toVersion: '2',
        carriedBlocs: [
          { fromBloc: 'BC01', toBloc: 'BC01' },
          { fromBloc: 'BC01', toBloc: 'BC02' },
        ],
        by: admin,
        now: at(30),
      },
    },
  },
  {
    code: 'TRANSFER.UNKNOWN_TARGET_BLOC',
    kind: ValidationError,
    given: [],
    when: {
      type: 'EnrollByTransfer',
      data: {
        enrollmentId: 'enr-2',
        fromEnrollmentId: 'enr-1',
        fromVersion: '0',
        candidateId: 'cand-1',
        organisationId: 'org-1',
        referentialId: 'fixture-cert',
        version: '1',
        cohort: '2026-A',
        accessRoute: 'vae',
        optionBlocs: [],
        carriedBlocs: [{ fromBloc: 'B1', toBloc: 'BC99', validatedAt: T0 }],
        by: admin,
        now: at(30),
      },
    },
  },
  {
    code: 'TRANSFER.TARGET_OPTION_NOT_CHOSEN',
    kind: ValidationError,
    given: [],
    when: {
      type: 'EnrollByTransfer',
      data: {
        enrollmentId: 'enr-2',
        fromEnrollmentId: 'enr-1',
        fromVersion: '0',
        candidateId: 'cand-1',
        organisationId: 'org-1',
        referentialId: 'fixture-cert',
        version: '1',
        cohort: '2026-A',
        accessRoute: 'vae',
        optionBlocs: ['BC03'],
        carriedBlocs: [{ fromBloc: 'B1', toBloc: 'BC04', validatedAt: T0 }],
        by: admin,
        now: at(30),
      },
    },
  },
  // issuance
  { code: 'ISSUANCE.NOT_SYSTEM', kind: ForbiddenError, given: bc01Validated, when: cmd.issue({}, admin) },
  { code: 'ISSUANCE.NUMBER_TAKEN', kind: ConflictError, given: [...bc01Validated, cmd.issue()], when: cmd.issue({ decisionEventId: 'evt-2' }) },
  { code: 'ISSUANCE.DECISION_WITHDRAWN', kind: IllegalStateError, given: [...bc01Validated, cmd.annulBloc('BC01')], when: cmd.issue() },
  { code: 'ISSUANCE.UNKNOWN_DOCUMENT', kind: NotFoundError, given: bc01Validated, when: cmd.revoke('JAL-A-404') },
  {
    code: 'ISSUANCE.DOCUMENT_REVOKED',
    kind: IllegalStateError,
    given: [...bc01Validated, cmd.issue(), cmd.annulBloc('BC01'), cmd.revoke()],
    when: cmd.reissue(),
  },
  {
    code: 'ISSUANCE.VERSION_TAKEN',
    kind: ConflictError,
    given: [...bc01Validated, cmd.issue(), cmd.reissue()],
    when: cmd.reissue({ pdfSha256: 'r'.repeat(64) }),
  },
  { code: 'COMMAND.UNKNOWN', kind: ValidationError, given: enrolled, when: { type: 'Graduate', data: { by: admin, now: T0 } } as never },
];

describe('enrollment decider: every typed error', () => {
  it.each(cases.map((c) => [c.code, c] as const))('%s', (_code, c) => {
    const error = specFor(c.referential, c.context)
      .given(c.givenEvents ?? history(c.given, c.referential))
      .when(c.when)
      .thenThrows(c.kind, c.code);
    expect(error.message.length).toBeGreaterThan(0);
  });

  it('covers every error code the decider can raise', () => {
    const source = readFileSync(join(__dirname, 'enrollment.decider.ts'), 'utf8');
    const raised = new Set([...source.matchAll(/Error\(\s*'([A-Z_]+\.[A-Z_]+)'/g)].map((m) => m[1]));
    expect(raised.size).toBeGreaterThan(40);
    expect([...raised].filter((code) => !cases.some((c) => c.code === code)).sort()).toEqual([]);
  });

  it('a rejected command leaves the candidate able to go on: the history is unchanged', () => {
    const events = history(heldE1);
    expect(() =>
      specFor()
        .given(events)
        .when(cmd.assess('a1', 's1', results('E1'), otherAssessor))
        .events(),
    ).toThrow();
    specFor()
      .given(events)
      .when(cmd.assess('a1', 's1', results('E1')))
      .events();
  });

  it('every actor of an error case stays who they are (no anonymous decision)', () => {
    for (const c of cases) expect((c.when.data as { by: { id: string } }).by.id).toBeTruthy();
    expect([referent.id, candidate.id]).not.toContain('');
  });
});
