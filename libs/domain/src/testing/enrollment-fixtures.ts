import { Referential } from '../referential/referential.model';
import { Actor } from '../shared/actor';
import { AccommodationTerms } from '../enrollment/accommodation';
import { CriterionResult, DocumentReissue, EnrollmentCommand, IssuedDocument } from '../enrollment/enrollment.commands';
import { decideEnrollment, EnrollmentContext } from '../enrollment/enrollment.decider';
import { EnrollmentEvent } from '../enrollment/enrollment.events';
import { EnrollmentState, evolveEnrollment, initialEnrollmentState } from '../enrollment/enrollment.state';
import { deciderSpec } from './decider-spec';
import { fixtureCriteria, fixtureReferential } from './fixture-referential';

export const admin: Actor = { id: 'admin-1', role: 'admin' };
export const referent: Actor = { id: 'referent-1', role: 'referent' };
export const jury: Actor = { id: 'jury-1', role: 'jury' };
export const assessor: Actor = { id: 'assessor-1', role: 'assessor' };
export const otherAssessor: Actor = { id: 'assessor-2', role: 'assessor' };
export const candidate: Actor = { id: 'candidate-1', role: 'candidate' };
export const system: Actor = { id: 'jalon', role: 'system' };

export const T0 = '2026-01-05T09:00:00.000Z';
/** An instant `days` days after T0: commands take the clock as input. */
export const at = (days: number): string => new Date(Date.parse(T0) + days * 86_400_000).toISOString();

export const specFor = (referential: Referential = fixtureReferential, context: Omit<EnrollmentContext, 'referential'> = {}) =>
  deciderSpec<EnrollmentCommand, EnrollmentEvent, EnrollmentState>(
    (command, state) => decideEnrollment(command, state, { ...context, referential }),
    evolveEnrollment,
    initialEnrollmentState,
  );

/** Runs commands through the decider and returns every event they produce (a realistic history). */
export function history(commands: readonly EnrollmentCommand[], referential: Referential = fixtureReferential): EnrollmentEvent[] {
  const events: EnrollmentEvent[] = [];
  let state = initialEnrollmentState();
  for (const command of commands) {
    for (const event of decideEnrollment(command, state, { referential })) {
      events.push(event);
      state = evolveEnrollment(state, event);
    }
  }
  return events;
}

export const results = (epreuveCode: string, met: boolean | ((criterion: string) => boolean) = true): CriterionResult[] =>
  fixtureCriteria[epreuveCode].map((criterion) => ({ criterion, met: typeof met === 'function' ? met(criterion) : met }));

export const tiersTemps: AccommodationTerms = { kind: 'tiers-temps', scope: { all: true }, validFrom: T0 };

/** Command builders with sensible defaults; every one can be overridden. */
export const cmd = {
  enroll: (over: Partial<Extract<EnrollmentCommand, { type: 'Enroll' }>['data']> = {}, referential: Referential = fixtureReferential): EnrollmentCommand => ({
    type: 'Enroll',
    data: {
      enrollmentId: 'enr-1',
      candidateId: 'cand-1',
      organisationId: 'org-1',
      referentialId: referential.referential,
      version: referential.version,
      cohort: '2026-A',
      accessRoute: 'formation-continue',
      optionBlocs: ['BC04'],
      by: admin,
      now: T0,
      ...over,
    },
  }),
  chooseOption: (optionBlocs: string[], by: Actor = admin): EnrollmentCommand => ({ type: 'ChooseOption', data: { optionBlocs, by, now: at(1) } }),
  changeMaster: (masterId: string, company = 'Acme', now = at(15), reason = 'changement de tuteur'): EnrollmentCommand => ({
    type: 'ChangeApprenticeshipMaster',
    data: { apprenticeship: { masterId, company }, reason, by: admin, now },
  }),
  grant: (accommodationId = 'acc-1', terms: AccommodationTerms = tiersTemps, by: Actor = referent): EnrollmentCommand => ({
    type: 'GrantAccommodation',
    data: { accommodationId, terms, by, now: at(1) },
  }),
  amend: (accommodationId: string, terms: AccommodationTerms, by: Actor = referent): EnrollmentCommand => ({
    type: 'AmendAccommodation',
    data: { accommodationId, terms, reason: 'révision annuelle', by, now: at(2) },
  }),
  end: (accommodationId = 'acc-1', now = at(3), by: Actor = referent): EnrollmentCommand => ({
    type: 'EndAccommodation',
    data: { accommodationId, reason: 'fin de la mesure', by, now },
  }),
  consent: (by: Actor = candidate): EnrollmentCommand => ({ type: 'RecordJuryDisclosureConsent', data: { by, now: at(1) } }),
  withdrawConsent: (by: Actor = candidate): EnrollmentCommand => ({ type: 'WithdrawJuryDisclosureConsent', data: { by, now: at(2) } }),
  schedule: (sittingId: string, epreuveCode: string, scheduledAt = at(10), assessorIds: readonly string[] = [assessor.id]): EnrollmentCommand => ({
    type: 'ScheduleSitting',
    data: { sittingId, epreuveCode, scheduledAt, assessorIds, by: admin, now: at(5) },
  }),
  hold: (
    sittingId: string,
    timedParts: { code: string; actualDurationMinutes: number }[] = [],
    accommodationsApplied: string[] = [],
    heldAt = at(10),
  ): EnrollmentCommand => ({
    type: 'RecordSittingHeld',
    data: { sittingId, heldAt, timedParts, accommodationsApplied, by: admin, now: heldAt },
  }),
  assess: (assessmentId: string, sittingId: string, criteria: CriterionResult[], by: Actor = assessor): EnrollmentCommand => ({
    type: 'RecordAssessment',
    data: { assessmentId, sittingId, results: criteria, by, now: at(11) },
  }),
  correct: (correctionId: string, assessmentId: string, criteria: CriterionResult[], by: Actor = assessor, reason = 'erreur de saisie'): EnrollmentCommand => ({
    type: 'CorrectAssessment',
    data: { correctionId, assessmentId, results: criteria, reason, by, now: at(12) },
  }),
  validateBloc: (blocCode: string, by: Actor = jury): EnrollmentCommand => ({ type: 'ValidateBloc', data: { blocCode, by, now: at(20) } }),
  annulBloc: (blocCode: string, by: Actor = jury): EnrollmentCommand => ({
    type: 'AnnulBloc',
    data: { blocCode, reason: 'plagiarism', details: 'rapport plagié', by, now: at(40) },
  }),
  validateRequirement: (requirementCode = 'FIL-ROUGE', by: Actor = jury): EnrollmentCommand => ({
    type: 'ValidateExtraRequirement',
    data: { requirementCode, by, now: at(25) },
  }),
  award: (by: Actor = jury): EnrollmentCommand => ({ type: 'RecordFinalJuryDecision', data: { decision: 'awarded', place: 'Paris', by, now: at(30) } }),
  withdraw: (): EnrollmentCommand => ({ type: 'Withdraw', data: { reason: 'réorientation', by: admin, now: at(15) } }),
  issue: (document: Partial<IssuedDocument> = {}, by: Actor = system): EnrollmentCommand => ({
    type: 'RecordDocumentIssued',
    data: {
      document: {
        kind: 'attestation',
        number: 'JAL-A-1',
        decisionEventId: 'evt-1',
        blocCode: 'BC01',
        pdfSha256: 'p'.repeat(64),
        credentialSha256: 'c'.repeat(64),
        ...document,
      },
      by,
      now: at(21),
    },
  }),
  revoke: (number = 'JAL-A-1', by: Actor = system): EnrollmentCommand => ({
    type: 'RecordDocumentRevoked',
    data: { number, reasonCategory: 'bloc-annulled', by, now: at(41) },
  }),
  reissue: (reissue: Partial<DocumentReissue> = {}, by: Actor = system): EnrollmentCommand => ({
    type: 'RecordDocumentReissued',
    data: {
      reissue: { number: 'JAL-A-1', version: 2, pdfSha256: 'q'.repeat(64), credentialSha256: 'd'.repeat(64), reason: 'police Unicode', ...reissue },
      by,
      now: at(50),
    },
  }),
};

/** Schedules, holds and assesses one sitting of an épreuve with every criterion set to `met`. */
export function sit(
  sittingId: string,
  epreuveCode: string,
  met: boolean | ((criterion: string) => boolean) = true,
  timedParts: { code: string; actualDurationMinutes: number }[] = [],
): EnrollmentCommand[] {
  return [cmd.schedule(sittingId, epreuveCode), cmd.hold(sittingId, timedParts), cmd.assess(`assess-${sittingId}`, sittingId, results(epreuveCode, met))];
}

const soutenance = (epreuveCode: string) =>
  epreuveCode === 'E1' ? [{ code: 'soutenance', actualDurationMinutes: 30 }] : epreuveCode === 'E4' ? [{ code: 'soutenance', actualDurationMinutes: 45 }] : [];

/** Passes every épreuve of a bloc of the fixture and has the jury validate it. */
export function passBloc(blocCode: string): EnrollmentCommand[] {
  const epreuve = { BC01: 'E1', BC02: 'E2', BC03: 'E3', BC04: 'E4' }[blocCode]!;
  return [...sit(`s-${epreuve}`, epreuve, true, soutenance(epreuve)), cmd.validateBloc(blocCode)];
}

export { soutenance as fixtureTimedParts };
