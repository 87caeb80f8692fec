import { competenciesIncompletableOnRoute, indexReferential, ReferentialIndex } from '../referential/referential-index';
import { ACCESS_ROUTES, AccessRoute, accessRoutesOf, APPRENTICESHIP_MASTER_KIND, Epreuve, owedOnRoute, Referential } from '../referential/referential.model';
import { Actor, Role } from '../shared/actor';
import { ConflictError, ForbiddenError, IllegalStateError, NotFoundError, ValidationError } from '../shared/errors';
import { disclosed, isWithheld } from '../shared/withheld';
import { ACCOMMODATION_KINDS, AccommodationTerms, effectiveDurationMinutes, extraTimeOf, isInForce } from './accommodation';
import {
  ANNULMENT_REASONS,
  CommandOf,
  CriterionResult,
  EnrollmentCommand,
  EnrollmentParticulars,
  REGISTRATION_INITIATIVES,
  SITTING_MODES,
  SittingMode,
  VAE_VOIES,
} from './enrollment.commands';
import { ApplicableAccommodation, BlocValidationRule, EnrollmentEvent, EventOf, TimedPartSchedule } from './enrollment.events';
import { epreuvesOwedBy, PathEvidence, pathProgress } from './enrollment.progress';
import { ActiveEnrollment, EnrollmentState, evolveEnrollment, initialEnrollmentState } from './enrollment.state';

const ENROLLMENT_STREAM = 'enrollment-';

/** The stream of one enrollment (a candidate in one certification version). */
export const enrollmentStreamId = (enrollmentId: string): string => `${ENROLLMENT_STREAM}${enrollmentId}`;

/** The enrollment a stream id names, or undefined when the stream is of another type. */
export const enrollmentIdOf = (streamId: string): string | undefined =>
  streamId.startsWith(ENROLLMENT_STREAM) ? streamId.slice(ENROLLMENT_STREAM.length) : undefined;

export interface EnrollmentContext {
  /** The référentiel version the enrollment is (or will be) pinned to. */
  readonly referential: Referential;
  /**
   * Set when that version was withdrawn from new enrollments: enrolling on it (or transferring to
   * it) is refused; the paths already pinned to it go on.
   */
  readonly withdrawnFromNewEnrollments?: { readonly at: string; readonly reason: string };
}

/**
 * decide(command, state, context) → events. Pure: the clock and the référentiel are inputs, and
 * the result is the list of facts to append, or a typed DomainError.
 */
export function decideEnrollment(command: EnrollmentCommand, state: EnrollmentState, context: EnrollmentContext): EnrollmentEvent[] {
  const index = indexReferential(context.referential);
  switch (command.type) {
    case 'Enroll':
      return enroll(command, state, index, context);
    case 'EnrollByTransfer':
      return enrollByTransfer(command, state, index, context);
    case 'ChooseOption':
      return chooseOption(command, open(state, index), index);
    case 'ChangeApprenticeshipMaster':
      return changeApprenticeshipMaster(command, notCertified(open(state, index)), index);
    case 'GrantAccommodation':
      return grantAccommodation(command, open(state, index), index);
    case 'AmendAccommodation':
      return amendAccommodation(command, open(state, index), index);
    case 'EndAccommodation':
      return endAccommodation(command, open(state, index), index);
    case 'RecordJuryDisclosureConsent':
      return recordConsent(command, open(state, index));
    case 'WithdrawJuryDisclosureConsent':
      return withdrawConsent(command, open(state, index));
    case 'ScheduleSitting':
      return scheduleSitting(command, notCertified(open(state, index)), index);
    case 'RecordSittingHeld':
      return recordSittingHeld(command, open(state, index));
    case 'RecordAssessment':
      return recordAssessment(command, open(state, index), index);
    case 'CorrectAssessment':
      return correctAssessment(command, open(state, index), index);
    case 'ValidateBloc':
      return validateBloc(command, notCertified(open(state, index)), index);
    case 'AnnulBloc':
      // Fraud found after a withdrawal must still be answerable: the jury can annul on a withdrawn path.
      return annulBloc(command, open(state, index, { allowWithdrawn: true }), index);
    case 'ValidateExtraRequirement':
      return validateExtraRequirement(command, notCertified(open(state, index)), index);
    case 'RecordFinalJuryDecision':
      return recordFinalJuryDecision(command, notCertified(open(state, index)), index);
    case 'Withdraw':
      // A certified path is complete: there is nothing left to withdraw from.
      notCertified(open(state, index));
      return [{ type: 'CandidateWithdrew', data: { reason: required(command.data.reason, 'reason'), by: command.data.by, at: command.data.now } }];
    case 'TransferOut':
      return transferOut(command, notCertified(open(state, index)));
    case 'RecordDocumentIssued':
      // Documents follow decisions already taken: a withdrawn or transferred path still gets them.
      return recordDocumentIssued(command, open(state, index, { allowWithdrawn: true, allowTransferred: true }));
    case 'RecordDocumentRevoked':
      return recordDocumentRevoked(command, open(state, index, { allowWithdrawn: true, allowTransferred: true }));
    case 'RecordDocumentReissued':
      return recordDocumentReissued(command, open(state, index, { allowWithdrawn: true, allowTransferred: true }));
    default: {
      const unknown: never = command;
      throw new ValidationError('COMMAND.UNKNOWN', `unknown command ${(unknown as { type: string }).type}`);
    }
  }
}

// ---- guards ---------------------------------------------------------------------------------

function existing(state: EnrollmentState): ActiveEnrollment {
  if (state.status === 'none') throw new NotFoundError('ENROLLMENT.NOT_FOUND', 'no such enrollment');
  return state;
}

/** Withdrawn and transferred paths take no further decision (R13); their history stays readable. */
function open(state: EnrollmentState, index: ReferentialIndex, options: { allowWithdrawn?: boolean; allowTransferred?: boolean } = {}): ActiveEnrollment {
  const s = existing(state);
  if (s.referentialId !== index.referential.referential || s.version !== index.referential.version) {
    throw new ValidationError(
      'ENROLLMENT.VERSION_MISMATCH',
      `the enrollment is pinned to ${s.referentialId}@${s.version}, not ${index.referential.referential}@${index.referential.version}`,
    );
  }
  if (s.status === 'withdrawn' && !options.allowWithdrawn)
    throw new IllegalStateError('ENROLLMENT.WITHDRAWN', 'the candidate has withdrawn: no further decision can be recorded');
  if (s.status === 'transferred' && !options.allowTransferred)
    throw new IllegalStateError('ENROLLMENT.TRANSFERRED', 'the enrollment was transferred to another version: act on the new enrollment');
  return s;
}

function notCertified(state: ActiveEnrollment): ActiveEnrollment {
  if (state.status === 'certified') throw new IllegalStateError('ENROLLMENT.CERTIFIED', 'the certification is already awarded');
  return state;
}

function requireRole(by: Actor, role: Role, code: string, what: string): void {
  if (by.role !== role) throw new ForbiddenError(code, `${what} is decided by the ${role}, not by a ${by.role}`);
}

function required(value: string | undefined, field: string): string {
  if (value === undefined || value.trim() === '') throw new ValidationError('COMMAND.FIELD_REQUIRED', `${field} is required`, { field });
  return value;
}

function validDate(value: string, field: string): string {
  if (Number.isNaN(Date.parse(value))) throw new ValidationError('COMMAND.INVALID_DATE', `${field} is not a date: ${value}`, { field });
  return value;
}

// ---- enrollment and option (R1, R2) -----------------------------------------------------------

/**
 * The option blocs chosen: known option blocs, each once, no more in a group than it takes, and
 * each newly chosen one completable on the path's route (an option whose competencies no épreuve
 * owed on that route can rule on could never be validated). `kept` are blocs already chosen, not
 * asked again: a path that chose one before the route was checked keeps it.
 */
function checkOptionBlocs(optionBlocs: readonly string[], index: ReferentialIndex, route: AccessRoute, kept: readonly string[] = []): void {
  const perGroup = new Map<string, number>();
  for (const code of optionBlocs) {
    const bloc = index.blocs.get(code);
    if (!bloc) throw new ValidationError('OPTION.UNKNOWN_BLOC', `bloc ${code} does not exist in this référentiel`, { bloc: code });
    if (!bloc.optionGroup) throw new ValidationError('OPTION.NOT_AN_OPTION_BLOC', `bloc ${code} is mandatory, not an option`, { bloc: code });
    perGroup.set(bloc.optionGroup, (perGroup.get(bloc.optionGroup) ?? 0) + 1);
    const incompletable = kept.includes(code) ? [] : competenciesIncompletableOnRoute(index, code, route);
    if (incompletable.length > 0)
      throw new ValidationError(
        'OPTION.INCOMPLETABLE_ON_ROUTE',
        `option bloc ${code} cannot be completed on the ${route} route: no épreuve owed on it rules on competency(ies) ${incompletable.join(', ')}`,
        { field: 'optionBlocs', bloc: code, route, competencies: incompletable },
      );
  }
  if (new Set(optionBlocs).size !== optionBlocs.length) throw new ValidationError('OPTION.DUPLICATE_BLOC', 'a bloc is chosen twice');
  for (const [group, count] of perGroup) {
    const choose = index.referential.optionGroups?.find((g) => g.code === group)?.choose ?? 0;
    if (count > choose) {
      throw new ValidationError('OPTION.TOO_MANY_IN_GROUP', `option group ${group} takes ${choose} bloc(s); ${count} were chosen`, {
        group,
        choose,
        chosen: count,
      });
    }
  }
}

function enroll(command: CommandOf<'Enroll'>, state: EnrollmentState, index: ReferentialIndex, context: EnrollmentContext): EnrollmentEvent[] {
  const d = command.data;
  if (state.status !== 'none') throw new ConflictError('ENROLLMENT.ALREADY_EXISTS', `enrollment ${d.enrollmentId} already exists`);
  checkPinnedVersion(d.referentialId, d.version, index);
  checkOpenToNewEnrollments(index, context);
  if (!ACCESS_ROUTES.includes(d.accessRoute)) throw new ValidationError('ENROLLMENT.UNKNOWN_ACCESS_ROUTE', `unknown access route ${d.accessRoute}`);
  required(d.cohort, 'cohort');
  const particulars = checkParticulars(d, index);
  checkOptionBlocs(d.optionBlocs, index, d.accessRoute);
  return [
    {
      type: 'CandidateEnrolled',
      data: {
        enrollmentId: d.enrollmentId,
        candidateId: required(d.candidateId, 'candidateId'),
        organisationId: required(d.organisationId, 'organisationId'),
        referentialId: d.referentialId,
        version: d.version,
        cohort: d.cohort,
        accessRoute: d.accessRoute,
        optionBlocs: d.optionBlocs,
        ...particulars,
        by: d.by,
        at: d.now,
      },
    },
  ];
}

/** A version withdrawn from new enrollments takes none (the paths pinned to it go on). */
function checkOpenToNewEnrollments(index: ReferentialIndex, context: EnrollmentContext): void {
  const withdrawn = context.withdrawnFromNewEnrollments;
  if (withdrawn)
    throw new IllegalStateError(
      'ENROLLMENT.VERSION_WITHDRAWN',
      `${index.referential.referential}@${index.referential.version} was withdrawn from new enrollments on ${withdrawn.at}: ${withdrawn.reason}`,
      { withdrawnAt: withdrawn.at },
    );
}

const CALENDAR_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The route must be one the certification is open to; an apprenticeship names its maître
 * d'apprentissage where the route owes an épreuve only they assess; a start date is a calendar date.
 */
function checkParticulars(d: EnrollmentParticulars & { accessRoute: AccessRoute }, index: ReferentialIndex): EnrollmentParticulars {
  if (!accessRoutesOf(index.referential).includes(d.accessRoute))
    throw new ValidationError(
      'ENROLLMENT.ROUTE_NOT_OPEN',
      `${index.referential.referential}@${index.referential.version} is not open to the ${d.accessRoute} route`,
      {
        field: 'accessRoute',
        openRoutes: accessRoutesOf(index.referential),
      },
    );
  const needsMaster = [...index.epreuves.values()].some(
    ({ epreuve }) => epreuve.assessorKind === APPRENTICESHIP_MASTER_KIND && owedOnRoute(epreuve, d.accessRoute),
  );
  if (needsMaster && !d.apprenticeship)
    throw new ValidationError(
      'ENROLLMENT.APPRENTICESHIP_MASTER_REQUIRED',
      `on the ${d.accessRoute} route this certification owes épreuves the maître d'apprentissage assesses: name them`,
      { field: 'apprenticeship' },
    );
  if (d.apprenticeship) {
    required(d.apprenticeship.masterId, 'apprenticeship.masterId');
    required(d.apprenticeship.company, 'apprenticeship.company');
  }
  if (d.trainingStartDate !== undefined && (!CALENDAR_DATE.test(d.trainingStartDate) || Number.isNaN(Date.parse(d.trainingStartDate))))
    throw new ValidationError('COMMAND.INVALID_DATE', `trainingStartDate is not a calendar date (YYYY-MM-DD): ${d.trainingStartDate}`, {
      field: 'trainingStartDate',
    });
  if (d.registrationInitiative !== undefined && !REGISTRATION_INITIATIVES.includes(d.registrationInitiative))
    throw new ValidationError('ENROLLMENT.UNKNOWN_REGISTRATION_INITIATIVE', `registrationInitiative is one of ${REGISTRATION_INITIATIVES.join(', ')}`, {
      field: 'registrationInitiative',
    });
  if (d.vaeVoie !== undefined && d.accessRoute !== 'vae')
    throw new ValidationError('ENROLLMENT.VAE_VOIE_OFF_ROUTE', `a VAE voie is stated on the vae route only, not on ${d.accessRoute}`, { field: 'vaeVoie' });
  if (d.vaeVoie !== undefined && !VAE_VOIES.includes(d.vaeVoie))
    throw new ValidationError('ENROLLMENT.UNKNOWN_VAE_VOIE', `vaeVoie is one of ${VAE_VOIES.join(', ')}`, { field: 'vaeVoie' });
  return {
    ...(d.apprenticeship ? { apprenticeship: { masterId: d.apprenticeship.masterId.trim(), company: d.apprenticeship.company.trim() } } : {}),
    ...(d.trainingStartDate ? { trainingStartDate: d.trainingStartDate } : {}),
    ...(d.registrationInitiative ? { registrationInitiative: d.registrationInitiative } : {}),
    ...(d.vaeVoie ? { vaeVoie: d.vaeVoie } : {}),
  };
}

function checkPinnedVersion(referentialId: string, version: string, index: ReferentialIndex): void {
  if (referentialId !== index.referential.referential || version !== index.referential.version) {
    throw new ValidationError(
      'ENROLLMENT.VERSION_MISMATCH',
      `the référentiel given is ${index.referential.referential}@${index.referential.version}, not ${referentialId}@${version}`,
    );
  }
}

function enrollByTransfer(
  command: CommandOf<'EnrollByTransfer'>,
  state: EnrollmentState,
  index: ReferentialIndex,
  context: EnrollmentContext,
): EnrollmentEvent[] {
  const d = command.data;
  if (state.status !== 'none') throw new ConflictError('ENROLLMENT.ALREADY_EXISTS', `enrollment ${d.enrollmentId} already exists`);
  checkPinnedVersion(d.referentialId, d.version, index);
  checkOpenToNewEnrollments(index, context);
  checkParticulars(d, index);
  checkOptionBlocs(d.optionBlocs, index, d.accessRoute);
  checkCarriedTargets(
    d.carriedBlocs.map((c) => c.toBloc),
    index,
  );
  // A bloc carried into an option is acquired within that option: the new enrollment chooses it (R2).
  const unchosen = d.carriedBlocs.map((c) => c.toBloc).filter((code) => index.blocs.get(code)?.optionGroup && !d.optionBlocs.includes(code));
  if (unchosen.length > 0) {
    throw new ValidationError(
      'TRANSFER.TARGET_OPTION_NOT_CHOSEN',
      `bloc(s) ${unchosen.join(', ')} belong to an option the new enrollment does not choose: add them to optionBlocs`,
      { field: 'optionBlocs', blocs: unchosen },
    );
  }
  const { now, by, ...rest } = d;
  return [{ type: 'EnrolledByTransfer', data: { ...rest, by, at: now } }];
}

function chooseOption(command: CommandOf<'ChooseOption'>, state: ActiveEnrollment, index: ReferentialIndex): EnrollmentEvent[] {
  const d = command.data;
  checkOptionBlocs(d.optionBlocs, index, state.accessRoute, state.optionBlocs);
  // An option bloc already validated is part of the path for good (R7): it cannot be dropped.
  const dropped = state.optionBlocs.filter((code) => !d.optionBlocs.includes(code));
  const locked = dropped.filter((code) => state.blocs[code]?.status === 'validated');
  if (locked.length > 0)
    throw new IllegalStateError('OPTION.LOCKED', `option bloc(s) ${locked.join(', ')} already validated: the option can no longer change`, { blocs: locked });
  if (dropped.length === 0 && d.optionBlocs.length === state.optionBlocs.length) return [];
  const chosen: EnrollmentEvent = { type: 'OptionChosen', data: { optionBlocs: d.optionBlocs, previousOptionBlocs: state.optionBlocs, by: d.by, at: d.now } };
  return withConsequences(state, [chosen], index, d.by, d.now, 'assessment-corrected');
}

// ---- the maître d'apprentissage ----------------------------------------------------------------------

/** Whether an épreuve (or a sitting of it) is assessed by the enrollment's own maître d'apprentissage. */
const byTheMaster = (assessorKind: string | undefined): boolean => assessorKind === APPRENTICESHIP_MASTER_KIND;

/**
 * The enrollment's maître d'apprentissage (and company) replaced. From then on the épreuves the
 * maître d'apprentissage assesses are assigned to and assessed by the new one alone, the sittings
 * already scheduled or held and not yet assessed included (reassigned in the same fact); what the
 * former one assessed stays recorded and counts as before. Naming the master and company the
 * enrollment already names changes nothing (no fact). An enrollment whose route has no maître
 * d'apprentissage (it names none, its route is not apprenticeship and owes no épreuve they assess)
 * is refused.
 */
function changeApprenticeshipMaster(command: CommandOf<'ChangeApprenticeshipMaster'>, state: ActiveEnrollment, index: ReferentialIndex): EnrollmentEvent[] {
  const d = command.data;
  const owesMasterEpreuves = [...index.epreuves.values()].some(({ epreuve }) => byTheMaster(epreuve.assessorKind) && owedOnRoute(epreuve, state.accessRoute));
  if (!state.apprenticeship && state.accessRoute !== 'apprentissage' && !owesMasterEpreuves)
    throw new IllegalStateError(
      'APPRENTICESHIP.NOT_AN_APPRENTICESHIP',
      `this enrollment follows the ${state.accessRoute} route and names no maître d'apprentissage: there is none to change`,
      { accessRoute: state.accessRoute },
    );
  const apprenticeship = {
    masterId: required(d.apprenticeship?.masterId, 'masterId').trim(),
    company: required(d.apprenticeship?.company, 'company').trim(),
  };
  const reason = required(d.reason, 'reason').trim();
  const previous = state.apprenticeship;
  if (previous?.masterId === apprenticeship.masterId && previous.company === apprenticeship.company) return [];
  const reassignedSittings = Object.values(state.sittings)
    .filter(
      (s) =>
        s.status !== 'assessed' &&
        byTheMaster(s.assessorKind ?? index.epreuves.get(s.epreuveCode)?.epreuve.assessorKind) &&
        !(s.assessorIds.length === 1 && s.assessorIds[0] === apprenticeship.masterId),
    )
    .map((s) => s.id);
  return [
    {
      type: 'ApprenticeshipMasterChanged',
      data: { apprenticeship, ...(previous ? { previous } : {}), reason, reassignedSittings, by: d.by, at: d.now },
    },
  ];
}

// ---- accommodations and consent (R9, R10) --------------------------------------------------------

function checkTerms(terms: AccommodationTerms, index: ReferentialIndex): void {
  if (!ACCOMMODATION_KINDS.includes(terms.kind)) throw new ValidationError('ACCOMMODATION.UNKNOWN_KIND', `unknown accommodation kind ${terms.kind}`);
  if (terms.kind === 'extra-time') {
    const t = terms.extraTime;
    if (!t || !Number.isInteger(t.numerator) || !Number.isInteger(t.denominator) || t.numerator <= 0 || t.denominator <= 0) {
      throw new ValidationError('ACCOMMODATION.EXTRA_TIME_REQUIRED', 'an extra-time accommodation states its extra time as a positive fraction');
    }
  } else if (terms.extraTime) {
    throw new ValidationError('ACCOMMODATION.EXTRA_TIME_NOT_APPLICABLE', `a ${terms.kind} accommodation carries no extra-time fraction`);
  }
  validDate(terms.validFrom, 'validFrom');
  if (terms.validUntil !== undefined && Date.parse(validDate(terms.validUntil, 'validUntil')) < Date.parse(terms.validFrom)) {
    throw new ValidationError('ACCOMMODATION.INVALID_PERIOD', 'validUntil is before validFrom');
  }
  if (!terms.scope.all) {
    if (terms.scope.epreuves.length === 0) throw new ValidationError('ACCOMMODATION.EMPTY_SCOPE', 'a scoped accommodation lists at least one épreuve');
    const unknown = terms.scope.epreuves.filter((code) => !index.epreuves.has(code));
    if (unknown.length > 0)
      throw new ValidationError('ACCOMMODATION.UNKNOWN_EPREUVE', `unknown épreuve(s) in scope: ${unknown.join(', ')}`, { epreuves: unknown });
  }
}

function grantAccommodation(command: CommandOf<'GrantAccommodation'>, state: ActiveEnrollment, index: ReferentialIndex): EnrollmentEvent[] {
  const d = command.data;
  requireRole(d.by, 'referent', 'ACCOMMODATION.NOT_REFERENT', 'an accommodation');
  if (state.accommodations[d.accommodationId]) throw new ConflictError('ACCOMMODATION.ALREADY_EXISTS', `accommodation ${d.accommodationId} already exists`);
  checkTerms(d.terms, index);
  return withRevisedSittings(
    state,
    { type: 'AccommodationGranted', data: { accommodationId: d.accommodationId, terms: d.terms, by: d.by, at: d.now } },
    index,
    'granted',
  );
}

function liveAccommodation(state: ActiveEnrollment, accommodationId: string) {
  const accommodation = state.accommodations[accommodationId];
  if (!accommodation) throw new NotFoundError('ACCOMMODATION.NOT_FOUND', `no accommodation ${accommodationId}`);
  if (accommodation.endedAt !== undefined) throw new IllegalStateError('ACCOMMODATION.ENDED', `accommodation ${accommodationId} has ended`);
  return accommodation;
}

function amendAccommodation(command: CommandOf<'AmendAccommodation'>, state: ActiveEnrollment, index: ReferentialIndex): EnrollmentEvent[] {
  const d = command.data;
  requireRole(d.by, 'referent', 'ACCOMMODATION.NOT_REFERENT', 'an accommodation');
  liveAccommodation(state, d.accommodationId);
  checkTerms(d.terms, index);
  return withRevisedSittings(
    state,
    { type: 'AccommodationAmended', data: { accommodationId: d.accommodationId, terms: d.terms, reason: required(d.reason, 'reason'), by: d.by, at: d.now } },
    index,
    'amended',
  );
}

function endAccommodation(command: CommandOf<'EndAccommodation'>, state: ActiveEnrollment, index: ReferentialIndex): EnrollmentEvent[] {
  const d = command.data;
  requireRole(d.by, 'referent', 'ACCOMMODATION.NOT_REFERENT', 'an accommodation');
  liveAccommodation(state, d.accommodationId);
  return withRevisedSittings(
    state,
    { type: 'AccommodationEnded', data: { accommodationId: d.accommodationId, reason: required(d.reason, 'reason'), by: d.by, at: d.now } },
    index,
    'ended',
  );
}

/**
 * A change to an accommodation, followed by what it changes in the sittings scheduled and not yet
 * held (R11): a tiers-temps granted after the soutenance was scheduled lengthens it, one ended
 * before it no longer applies. Held sittings keep the conditions they were held under.
 */
function withRevisedSittings(
  state: ActiveEnrollment,
  change: EventOf<'AccommodationGranted' | 'AccommodationAmended' | 'AccommodationEnded'>,
  index: ReferentialIndex,
  kind: 'granted' | 'amended' | 'ended',
): EnrollmentEvent[] {
  const after = evolveEnrollment(state, change) as ActiveEnrollment;
  const revisions: EnrollmentEvent[] = [];
  for (const sitting of Object.values(after.sittings)) {
    if (sitting.status !== 'scheduled') continue;
    const conditions = sittingConditions(after, index.epreuves.get(sitting.epreuveCode)!.epreuve, sitting.scheduledAt);
    const same =
      JSON.stringify(conditions.timedParts) === JSON.stringify(sitting.timedParts) &&
      JSON.stringify(conditions.applicableAccommodations.map((a) => a.accommodationId)) ===
        JSON.stringify(sitting.applicableAccommodations.map((a) => a.accommodationId));
    if (same) continue;
    revisions.push({
      type: 'SittingConditionsRevised',
      data: {
        sittingId: sitting.id,
        ...conditions,
        cause: { accommodationId: change.data.accommodationId, change: kind },
        by: change.data.by,
        at: change.data.at,
      },
    });
  }
  return [change, ...revisions];
}

/**
 * What a sitting at `scheduledAt` owes the candidate: the accommodations in force for its épreuve
 * then, and each timed part's effective duration under the most generous extra time (R11).
 * Decided on opened facts only: a measure still sealed here would silently count for nothing.
 */
function sittingConditions(
  state: ActiveEnrollment,
  epreuve: Epreuve,
  scheduledAt: string,
): { timedParts: TimedPartSchedule[]; applicableAccommodations: ApplicableAccommodation[] } {
  const accommodations = Object.values(state.accommodations);
  if (accommodations.some((a) => isWithheld(a.terms) && a.terms.withheld === 'sealed'))
    throw new Error('the conditions of a sitting are decided on opened accommodation facts');
  // Erased terms are gone for good (R14): a measure whose terms nobody can read applies to no sitting.
  const applicable = accommodations
    .map((a) => ({ id: a.id, terms: disclosed(a.terms), endedAt: a.endedAt }))
    .filter(
      (a): a is { id: string; terms: AccommodationTerms; endedAt: string | undefined } =>
        a.terms !== undefined && isInForce(a.terms, a.endedAt, scheduledAt, epreuve.code),
    );
  const extraTimes = applicable.map((a) => extraTimeOf(a.terms)).filter((t) => t !== undefined);
  return {
    timedParts: (epreuve.timedParts ?? []).map((p) => ({
      code: p.code,
      baseDurationMinutes: p.baseDurationMinutes,
      effectiveDurationMinutes: effectiveDurationMinutes(p.baseDurationMinutes, extraTimes),
    })),
    applicableAccommodations: applicable.map((a) => ({ accommodationId: a.id, kind: a.terms.kind })),
  };
}

function recordConsent(command: CommandOf<'RecordJuryDisclosureConsent'>, state: ActiveEnrollment): EnrollmentEvent[] {
  // Consent is the candidate's own act (R10), recorded by the candidate or by the referent on their behalf.
  if (command.data.by.role !== 'candidate' && command.data.by.role !== 'referent') {
    throw new ForbiddenError('CONSENT.NOT_CANDIDATE', 'consent is given by the candidate (or recorded by the referent)');
  }
  if (state.juryDisclosureConsent) throw new IllegalStateError('CONSENT.ALREADY_RECORDED', 'consent to disclose to the jury is already recorded');
  return [{ type: 'JuryDisclosureConsentRecorded', data: { ...noteOf(command.data.note), by: command.data.by, at: command.data.now } }];
}

function withdrawConsent(command: CommandOf<'WithdrawJuryDisclosureConsent'>, state: ActiveEnrollment): EnrollmentEvent[] {
  if (command.data.by.role !== 'candidate' && command.data.by.role !== 'referent') {
    throw new ForbiddenError('CONSENT.NOT_CANDIDATE', 'consent is withdrawn by the candidate (or recorded by the referent)');
  }
  if (!state.juryDisclosureConsent) throw new IllegalStateError('CONSENT.NOT_RECORDED', 'no consent to withdraw');
  return [{ type: 'JuryDisclosureConsentWithdrawn', data: { ...noteOf(command.data.note), by: command.data.by, at: command.data.now } }];
}

/** A consent's note is kept only when it says something. */
function noteOf(note: string | undefined): { note?: string } {
  return note !== undefined && note.trim() !== '' ? { note: note.trim() } : {};
}

// ---- sittings (R4, R11, R12) ---------------------------------------------------------------------

function scheduleSitting(command: CommandOf<'ScheduleSitting'>, state: ActiveEnrollment, index: ReferentialIndex): EnrollmentEvent[] {
  const d = command.data;
  if (state.sittings[d.sittingId]) throw new ConflictError('SITTING.ALREADY_EXISTS', `sitting ${d.sittingId} already exists`);
  const indexed = index.epreuves.get(d.epreuveCode);
  if (!indexed) throw new ValidationError('SITTING.UNKNOWN_EPREUVE', `épreuve ${d.epreuveCode} does not exist in this référentiel`, { epreuve: d.epreuveCode });
  const bloc = index.blocs.get(indexed.blocCode)!;
  if (bloc.optionGroup && !state.optionBlocs.includes(bloc.code)) {
    throw new IllegalStateError('SITTING.OPTION_NOT_CHOSEN', `bloc ${bloc.code} belongs to an option the candidate has not chosen`, { bloc: bloc.code });
  }
  if (state.blocs[bloc.code]?.status === 'validated') throw new IllegalStateError('SITTING.BLOC_ALREADY_VALIDATED', `bloc ${bloc.code} is already validated`);
  if (d.assessorIds.length === 0 || d.assessorIds.some((id) => id.trim() === ''))
    throw new ValidationError('SITTING.NO_ASSESSOR', 'a sitting is assigned at least one assessor');
  validDate(d.scheduledAt, 'scheduledAt');
  const epreuve = indexed.epreuve;
  if (!owedOnRoute(epreuve, state.accessRoute))
    throw new IllegalStateError('SITTING.EPREUVE_NOT_ON_ROUTE', `épreuve ${epreuve.code} is not owed on the ${state.accessRoute} route`, {
      epreuve: epreuve.code,
      routes: epreuve.routes,
    });
  checkAssessorsOfKind(epreuve, d.assessorIds, state);
  const previous = Object.values(state.sittings).filter((s) => s.epreuveCode === d.epreuveCode);
  // One attempt at a time per épreuve: the next is scheduled once the previous one is assessed (R12).
  // Observations over the training are not attempts: several may be open at once.
  if (!epreuve.continuous && previous.some((s) => s.status !== 'assessed'))
    throw new IllegalStateError('SITTING.ATTEMPT_IN_PROGRESS', `an attempt at ${d.epreuveCode} is already scheduled and not yet assessed`);

  const conditions = sittingConditions(state, epreuve, d.scheduledAt);
  return [
    {
      type: 'SittingScheduled',
      data: {
        sittingId: d.sittingId,
        epreuveCode: d.epreuveCode,
        blocCode: bloc.code,
        ...(epreuve.continuous ? { attempt: 1, observation: previous.length + 1 } : { attempt: previous.length + 1 }),
        scheduledAt: d.scheduledAt,
        assessorIds: d.assessorIds,
        assessorKind: epreuve.assessorKind,
        ...conditions,
        by: d.by,
        at: d.now,
      },
    },
  ];
}

/** An épreuve the maître d'apprentissage assesses is assigned to the enrollment's own, and to them alone. */
function checkAssessorsOfKind(epreuve: Epreuve, assessorIds: readonly string[], state: ActiveEnrollment): void {
  if (epreuve.assessorKind !== APPRENTICESHIP_MASTER_KIND) return;
  const master = state.apprenticeship?.masterId;
  if (!master)
    throw new IllegalStateError(
      'SITTING.NO_APPRENTICESHIP_MASTER',
      `épreuve ${epreuve.code} is assessed by the maître d'apprentissage, and this enrollment names none`,
      {
        epreuve: epreuve.code,
      },
    );
  if (assessorIds.length !== 1 || assessorIds[0] !== master)
    throw new ValidationError(
      'SITTING.NOT_THE_APPRENTICESHIP_MASTER',
      `épreuve ${epreuve.code} is assessed by the candidate's maître d'apprentissage (${master}) alone`,
      { field: 'assessorIds', expected: [master] },
    );
}

function sitting(state: ActiveEnrollment, sittingId: string) {
  const found = state.sittings[sittingId];
  if (!found) throw new NotFoundError('SITTING.NOT_FOUND', `no sitting ${sittingId}`);
  return found;
}

/** Repeated values of a list, each once. */
const repeatedIn = (values: readonly string[]): string[] => [...new Set(values.filter((v, i) => values.indexOf(v) !== i))];

/** A sitting is recorded as held once it has been: a few minutes of clock drift aside, not ahead of the clock. */
const HELD_CLOCK_SKEW_MS = 5 * 60_000;

function checkedMode(mode: SittingMode): SittingMode {
  if (!SITTING_MODES.includes(mode)) throw new ValidationError('SITTING.UNKNOWN_MODE', `mode is one of ${SITTING_MODES.join(', ')}`, { field: 'mode' });
  return mode;
}

function recordSittingHeld(command: CommandOf<'RecordSittingHeld'>, state: ActiveEnrollment): EnrollmentEvent[] {
  const d = command.data;
  const s = sitting(state, d.sittingId);
  // The school's admin, or an assessor of this sitting: they held it and know what was given there.
  if (d.by.role === 'assessor' && !s.assessorIds.includes(d.by.id))
    throw new ForbiddenError('SITTING.ASSESSOR_NOT_ASSIGNED', `${d.by.id} is not assigned to sitting ${d.sittingId}`);
  if (s.status !== 'scheduled') throw new IllegalStateError('SITTING.ALREADY_HELD', `sitting ${d.sittingId} is already recorded as held`);
  validDate(d.heldAt, 'heldAt');
  if (Date.parse(d.heldAt) > Date.parse(d.now) + HELD_CLOCK_SKEW_MS)
    throw new ValidationError('SITTING.HELD_IN_FUTURE', `heldAt ${d.heldAt} is in the future: a sitting is recorded once held`, { field: 'heldAt' });
  // Attempts follow one another (R12): the next is scheduled once the previous is assessed, so it cannot have taken place before it.
  const earlier = Object.values(state.sittings).find(
    (other) =>
      other.epreuveCode === s.epreuveCode && other.attempt < s.attempt && other.heldAt !== undefined && Date.parse(other.heldAt) > Date.parse(d.heldAt),
  );
  if (earlier)
    throw new ValidationError(
      'SITTING.HELD_BEFORE_PREVIOUS_ATTEMPT',
      `attempt ${s.attempt} at ${s.epreuveCode} cannot be held at ${d.heldAt}, before attempt ${earlier.attempt} (held at ${earlier.heldAt})`,
      { field: 'heldAt' },
    );
  const repeatedParts = repeatedIn(d.timedParts.map((p) => p.code));
  if (repeatedParts.length > 0)
    throw new ValidationError('SITTING.TIMED_PART_REPEATED', `timed part(s) ${repeatedParts.join(', ')} given more than once`, {
      field: 'timedParts',
      timedParts: repeatedParts,
    });
  const repeatedAccommodations = repeatedIn(d.accommodationsApplied);
  if (repeatedAccommodations.length > 0)
    throw new ValidationError('SITTING.ACCOMMODATION_REPEATED', `accommodation(s) ${repeatedAccommodations.join(', ')} listed more than once`, {
      field: 'accommodationsApplied',
      accommodations: repeatedAccommodations,
    });
  const applicableIds = s.applicableAccommodations.map((a) => a.accommodationId);
  const unknown = d.accommodationsApplied.filter((id) => !applicableIds.includes(id));
  if (unknown.length > 0)
    throw new ValidationError('SITTING.ACCOMMODATION_NOT_APPLICABLE', `accommodation(s) ${unknown.join(', ')} did not apply to this sitting`, {
      field: 'accommodationsApplied',
      accommodations: unknown,
    });
  // A part the épreuve does not have is named first: it is often a misspelt one that then looks missing.
  const extra = d.timedParts.filter((p) => !s.timedParts.some((part) => part.code === p.code));
  if (extra.length > 0)
    throw new ValidationError('SITTING.UNKNOWN_TIMED_PART', `épreuve ${s.epreuveCode} has no timed part ${extra[0].code}`, {
      field: 'timedParts',
      timedPart: extra[0].code,
    });
  const parts = s.timedParts.map((part) => {
    const given = d.timedParts.find((p) => p.code === part.code);
    if (!given)
      throw new ValidationError('SITTING.TIMED_PART_MISSING', `the actual duration of ${part.code} is required`, { field: 'timedParts', timedPart: part.code });
    if (!(given.actualDurationMinutes > 0))
      throw new ValidationError('SITTING.INVALID_DURATION', `the actual duration of ${part.code} must be positive`, {
        field: 'timedParts',
        timedPart: part.code,
      });
    return { code: part.code, scheduledMinutes: part.effectiveDurationMinutes, actualDurationMinutes: given.actualDurationMinutes };
  });
  // An extra time said applied while a part lasted less than that measure gives contradicts itself
  // (R11): the conditions given are either the time or "not applied", and the admin says which.
  for (const accommodationId of d.accommodationsApplied) {
    const terms = disclosed(state.accommodations[accommodationId]?.terms);
    const extraTime = terms && extraTimeOf(terms);
    if (!extraTime) continue;
    for (const part of s.timedParts) {
      const due = effectiveDurationMinutes(part.baseDurationMinutes, [extraTime]);
      const lasted = parts.find((p) => p.code === part.code)!.actualDurationMinutes;
      if (lasted < due) {
        throw new ValidationError(
          'SITTING.EXTRA_TIME_NOT_GIVEN',
          `accommodation ${accommodationId} is said applied, but ${part.code} lasted ${lasted} minutes, less than the ${due} it gives: record the time actually given, or the measure as not applied`,
          { field: 'accommodationsApplied', accommodation: accommodationId, timedPart: part.code, lastedMinutes: lasted, dueMinutes: due },
        );
      }
    }
  }
  const given = (accommodationId: string): boolean => d.accommodationsApplied.includes(accommodationId);
  return [
    {
      type: 'SittingHeld',
      data: {
        sittingId: d.sittingId,
        heldAt: d.heldAt,
        timedParts: parts,
        accommodationsApplied: d.accommodationsApplied,
        // R11: a granted measure not given at the sitting is a finding; stating it here spares auditors a guess.
        accommodationsNotApplied: s.applicableAccommodations.filter((a) => !given(a.accommodationId)),
        ...(d.mode ? { mode: checkedMode(d.mode) } : {}),
        by: d.by,
        at: d.now,
      },
    },
  ];
}

// ---- assessments and competencies (R5) ------------------------------------------------------------

function checkResults(results: readonly CriterionResult[], expected: readonly string[], epreuveCode: string): void {
  const given = results.map((r) => r.criterion);
  const missing = expected.filter((c) => !given.includes(c));
  const unknown = given.filter((c) => !expected.includes(c));
  const repeated = given.filter((c, i) => given.indexOf(c) !== i);
  if (missing.length || unknown.length || repeated.length) {
    throw new ValidationError('ASSESSMENT.CRITERIA_MISMATCH', `an assessment of ${epreuveCode} rules once on each of its ${expected.length} criteria`, {
      missing,
      unknown,
      repeated,
    });
  }
}

function recordAssessment(command: CommandOf<'RecordAssessment'>, state: ActiveEnrollment, index: ReferentialIndex): EnrollmentEvent[] {
  const d = command.data;
  if (state.assessments[d.assessmentId]) throw new ConflictError('ASSESSMENT.ALREADY_EXISTS', `assessment ${d.assessmentId} already exists`);
  const s = sitting(state, d.sittingId);
  if (s.status === 'scheduled') throw new IllegalStateError('ASSESSMENT.SITTING_NOT_HELD', `sitting ${d.sittingId} has not been recorded as held`);
  if (s.status === 'assessed')
    throw new IllegalStateError('ASSESSMENT.ALREADY_RECORDED', `sitting ${d.sittingId} is already assessed; record a correction instead`);
  if (!s.assessorIds.includes(d.by.id)) throw new ForbiddenError('ASSESSMENT.ASSESSOR_NOT_ASSIGNED', `${d.by.id} is not assigned to sitting ${d.sittingId}`);
  checkResults(d.results, index.epreuves.get(s.epreuveCode)!.criteria, s.epreuveCode);
  const recorded: EnrollmentEvent = {
    type: 'AssessmentRecorded',
    data: {
      assessmentId: d.assessmentId,
      sittingId: d.sittingId,
      epreuveCode: s.epreuveCode,
      blocCode: s.blocCode,
      attempt: s.attempt,
      results: d.results,
      passed: d.results.every((r) => r.met),
      capacity: s.assessorKind ?? index.epreuves.get(s.epreuveCode)!.epreuve.assessorKind,
      by: d.by,
      at: d.now,
    },
  };
  return withConsequences(state, [recorded], index, d.by, d.now, 'later-observation');
}

function correctAssessment(command: CommandOf<'CorrectAssessment'>, state: ActiveEnrollment, index: ReferentialIndex): EnrollmentEvent[] {
  const d = command.data;
  const assessment = state.assessments[d.assessmentId];
  if (!assessment) throw new NotFoundError('ASSESSMENT.NOT_FOUND', `no assessment ${d.assessmentId}`);
  if (assessment.voided) throw new IllegalStateError('ASSESSMENT.VOIDED', `assessment ${d.assessmentId} was voided by an annulment`);
  const s = state.sittings[assessment.sittingId];
  // A correction is made by one of the sitting's assessors, or by the jury.
  if (d.by.role !== 'jury' && !s.assessorIds.includes(d.by.id))
    throw new ForbiddenError('ASSESSMENT.ASSESSOR_NOT_ASSIGNED', `${d.by.id} is not assigned to sitting ${s.id}`);
  // Once replaced, a maître d'apprentissage no longer acts on the path: what they assessed stands, and the jury corrects it.
  const master = state.apprenticeship?.masterId;
  if (
    d.by.role !== 'jury' &&
    master !== undefined &&
    d.by.id !== master &&
    byTheMaster(s.assessorKind ?? index.epreuves.get(assessment.epreuveCode)!.epreuve.assessorKind)
  )
    throw new ForbiddenError(
      'ASSESSMENT.FORMER_APPRENTICESHIP_MASTER',
      `${d.by.id} is no longer the candidate's maître d'apprentissage (${master} is): the jury corrects what they assessed`,
    );
  checkResults(d.results, index.epreuves.get(assessment.epreuveCode)!.criteria, assessment.epreuveCode);
  const corrected: EnrollmentEvent = {
    type: 'AssessmentCorrected',
    data: {
      correctionId: d.correctionId,
      assessmentId: d.assessmentId,
      results: d.results,
      reason: required(d.reason, 'reason'),
      passed: d.results.every((r) => r.met),
      capacity: d.by.role === 'jury' ? 'jury' : (s.assessorKind ?? index.epreuves.get(assessment.epreuveCode)!.epreuve.assessorKind),
      by: d.by,
      at: d.now,
    },
  };
  return withConsequences(state, [corrected], index, d.by, d.now, 'assessment-corrected');
}

/**
 * Appends to `primary` the facts that follow from it: competencies acquired or no longer acquired,
 * blocs becoming (or ceasing to be) validatable, and, where the référentiel allows, the automatic
 * validation. Deriving them here, in the same decision, keeps every consequence in the log.
 */
function withConsequences(
  before: ActiveEnrollment,
  primary: EnrollmentEvent[],
  index: ReferentialIndex,
  by: Actor,
  at: string,
  revocationCause: 'assessment-corrected' | 'bloc-annulled' | 'later-observation',
): EnrollmentEvent[] {
  const events = [...primary];
  let state = primary.reduce(evolveEnrollment, before as EnrollmentState) as ActiveEnrollment;
  const emit = (event: EnrollmentEvent) => {
    events.push(event);
    state = evolveEnrollment(state, event) as ActiveEnrollment;
  };
  const evidence = new PathEvidence(state, index);
  for (const [code, { blocCode }] of index.competencies) {
    const standing = evidence.competency(code);
    const acquired = state.acquiredCompetencies[code] !== undefined;
    if (standing.status === 'met' && !acquired)
      emit({ type: 'CompetencyAcquired', data: { competencyCode: code, blocCode, rule: 'all-criteria-met', evidence: standing.evidence, by, at } });
    // A later observation takes back what an earlier one showed only while the bloc is not validated (R7).
    const kept = revocationCause === 'later-observation' && state.blocs[blocCode]?.status === 'validated';
    if (standing.status === 'owed' && acquired && !kept)
      emit({ type: 'CompetencyAcquisitionRevoked', data: { competencyCode: code, blocCode, cause: revocationCause, by, at } });
  }
  for (const bloc of index.referential.blocs) {
    const current = state.blocs[bloc.code]?.status;
    // R7: a validated bloc is acquired for good; only an annulment withdraws it.
    if (current === 'validated') continue;
    const readiness = blocReadiness(state, evidence, bloc.code, index);
    if (readiness.ready && current !== 'validatable') {
      emit({ type: 'BlocBecameValidatable', data: { blocCode: bloc.code, rule: readiness.rule, competencies: readiness.competencies, by, at } });
    } else if (!readiness.ready && current === 'validatable') {
      emit({ type: 'BlocNoLongerValidatable', data: { blocCode: bloc.code, missingCompetencies: readiness.missingCompetencies, by, at } });
    }
    // Where the référentiel lets a rule decide, a validatable bloc of the candidate's path is validated
    // at once, including an option bloc that only now joins the path.
    const chosen = !bloc.optionGroup || state.optionBlocs.includes(bloc.code);
    if (index.referential.validationPolicy.blocValidation === 'automatic' && chosen && state.blocs[bloc.code]?.status === 'validatable') {
      emit(blocValidated(state, evidence, index, bloc.code, 'automatic-rule', by, at));
    }
  }
  return events;
}

type BlocReadiness =
  | { readonly ready: true; readonly rule: BlocValidationRule; readonly competencies: readonly string[] }
  | { readonly ready: false; readonly missingCompetencies: readonly string[]; readonly owedEpreuves: readonly string[] };

/**
 * Whether a bloc can be validated: every competency acquired, or, where the référentiel leaves it
 * to the jury's weighing, every competency acquired or gathered for the jury, nothing still owed.
 */
function blocReadiness(state: ActiveEnrollment, evidence: PathEvidence, blocCode: string, index: ReferentialIndex): BlocReadiness {
  const codes = index.blocs.get(blocCode)!.competencies.map((c) => c.code);
  const notAcquired = codes.filter((code) => state.acquiredCompetencies[code] === undefined);
  if (notAcquired.length === 0) return { ready: true, rule: 'all-competencies-acquired', competencies: codes };
  if (notAcquired.every((code) => evidence.competency(code).status !== 'owed')) return { ready: true, rule: 'jury-weighs', competencies: codes };
  return { ready: false, missingCompetencies: notAcquired, owedEpreuves: epreuvesOwedBy(blocCode, state, evidence, index) };
}

// ---- blocs (R6, R7) ---------------------------------------------------------------------------

function blocValidated(
  state: ActiveEnrollment,
  evidence: PathEvidence,
  index: ReferentialIndex,
  blocCode: string,
  decidedBy: 'jury' | 'automatic-rule',
  by: Actor,
  at: string,
): EnrollmentEvent {
  const codes = index.blocs.get(blocCode)!.competencies.map((c) => c.code);
  const standings = codes.map((code) => evidence.competency(code));
  const assessments = new Set(standings.flatMap((standing) => (standing.status === 'owed' ? [] : standing.evidence.map((e) => e.assessmentId))));
  const weighed = standings.some((standing) => standing.status === 'to-weigh');
  return {
    type: 'BlocValidated',
    data: {
      blocCode,
      decidedBy,
      rule: weighed ? 'jury-weighs' : 'all-competencies-acquired',
      competencies: codes,
      assessments: [...assessments].sort(),
      by,
      at,
    },
  };
}

function knownBloc(index: ReferentialIndex, blocCode: string) {
  const bloc = index.blocs.get(blocCode);
  if (!bloc) throw new ValidationError('BLOC.UNKNOWN', `bloc ${blocCode} does not exist in this référentiel`, { bloc: blocCode });
  return bloc;
}

function validateBloc(command: CommandOf<'ValidateBloc'>, state: ActiveEnrollment, index: ReferentialIndex): EnrollmentEvent[] {
  const d = command.data;
  requireRole(d.by, 'jury', 'DECISION.NOT_JURY', 'a bloc validation');
  const bloc = knownBloc(index, d.blocCode);
  if (bloc.optionGroup && !state.optionBlocs.includes(bloc.code))
    throw new IllegalStateError('BLOC.OPTION_NOT_CHOSEN', `bloc ${bloc.code} belongs to an option the candidate has not chosen`);
  const status = state.blocs[bloc.code]?.status;
  if (status === 'validated') throw new IllegalStateError('BLOC.ALREADY_VALIDATED', `bloc ${bloc.code} is already validated`);
  const evidence = new PathEvidence(state, index);
  if (status !== 'validatable') {
    const readiness = blocReadiness(state, evidence, bloc.code, index);
    const missing = readiness.ready ? [] : readiness.missingCompetencies;
    const owed = readiness.ready ? [] : readiness.owedEpreuves;
    throw new IllegalStateError(
      'BLOC.NOT_VALIDATABLE',
      `bloc ${bloc.code} cannot be validated: competencies not acquired: ${missing.join(', ')}${owed.length ? `; épreuves still owed: ${owed.join(', ')}` : ''}`,
      { missingCompetencies: missing, owedEpreuves: owed },
    );
  }
  // Where the jury weighs the results, its validation is what acquires the competencies it weighed.
  const weighed: EnrollmentEvent[] = bloc.competencies
    .map((c) => c.code)
    .filter((code) => state.acquiredCompetencies[code] === undefined)
    .flatMap((code) => {
      const standing = evidence.competency(code);
      return standing.status === 'to-weigh'
        ? [
            {
              type: 'CompetencyAcquired' as const,
              data: { competencyCode: code, blocCode: bloc.code, rule: 'jury-weighed' as const, evidence: standing.evidence, by: d.by, at: d.now },
            },
          ]
        : [];
    });
  const after = weighed.reduce(evolveEnrollment, state as EnrollmentState) as ActiveEnrollment;
  return [...weighed, blocValidated(after, evidence, index, bloc.code, 'jury', d.by, d.now)];
}

function annulBloc(command: CommandOf<'AnnulBloc'>, state: ActiveEnrollment, index: ReferentialIndex): EnrollmentEvent[] {
  const d = command.data;
  requireRole(d.by, 'jury', 'DECISION.NOT_JURY', 'an annulment');
  const bloc = knownBloc(index, d.blocCode);
  if (state.blocs[bloc.code]?.status !== 'validated')
    throw new IllegalStateError('BLOC.NOT_VALIDATED', `bloc ${bloc.code} is not validated: there is nothing to annul`);
  if (!ANNULMENT_REASONS.includes(d.reason)) throw new ValidationError('BLOC.UNKNOWN_ANNULMENT_REASON', `unknown annulment reason ${d.reason}`);
  const details = required(d.details, 'details');
  const voided = Object.values(state.assessments)
    .filter((a) => a.blocCode === bloc.code && !a.voided)
    .map((a) => a.id)
    .sort();
  const events: EnrollmentEvent[] = [];
  // A certificate resting on an annulled bloc no longer stands (R7, R8).
  if (state.status === 'certified') events.push({ type: 'CertificationRevoked', data: { cause: 'bloc-annulled', blocCode: bloc.code, by: d.by, at: d.now } });
  events.push({ type: 'BlocAnnulled', data: { blocCode: bloc.code, reason: d.reason, details, voidedAssessments: voided, by: d.by, at: d.now } });
  return withConsequences(state, events, index, d.by, d.now, 'bloc-annulled');
}

// ---- full certification (R8) ----------------------------------------------------------------------

function validateExtraRequirement(command: CommandOf<'ValidateExtraRequirement'>, state: ActiveEnrollment, index: ReferentialIndex): EnrollmentEvent[] {
  const d = command.data;
  requireRole(d.by, 'jury', 'DECISION.NOT_JURY', 'an extra requirement');
  if (!(index.referential.extraRequirements ?? []).some((r) => r.code === d.requirementCode)) {
    throw new ValidationError('REQUIREMENT.UNKNOWN', `requirement ${d.requirementCode} does not exist in this référentiel`);
  }
  if (state.extraRequirements[d.requirementCode])
    throw new IllegalStateError('REQUIREMENT.ALREADY_VALIDATED', `requirement ${d.requirementCode} is already validated`);
  return [{ type: 'ExtraRequirementValidated', data: { requirementCode: d.requirementCode, by: d.by, at: d.now } }];
}

function recordFinalJuryDecision(command: CommandOf<'RecordFinalJuryDecision'>, state: ActiveEnrollment, index: ReferentialIndex): EnrollmentEvent[] {
  const d = command.data;
  requireRole(d.by, 'jury', 'DECISION.NOT_JURY', 'the final decision');
  const place = required(d.place, 'place');
  const decision: EnrollmentEvent = { type: 'FinalJuryDecisionRecorded', data: { decision: d.decision, place, reason: d.reason, by: d.by, at: d.now } };
  if (d.decision !== 'awarded') {
    if (!['refused', 'deferred'].includes(d.decision)) throw new ValidationError('DECISION.UNKNOWN', `unknown decision ${d.decision}`);
    required(d.reason, 'reason');
    return [decision];
  }
  const progress = pathProgress(state, index.referential);
  if (progress.status !== 'eligible') {
    throw new IllegalStateError('CERTIFICATION.REQUIREMENTS_NOT_MET', 'the full certification needs every required bloc and requirement validated', {
      missingBlocs: progress.missingBlocs,
      optionGroupsToChoose: progress.optionGroupsToChoose,
      missingExtraRequirements: progress.missingExtraRequirements,
    });
  }
  const blocs = [...index.mandatoryBlocs, ...state.optionBlocs];
  return [
    decision,
    {
      type: 'CertificationAwarded',
      data: {
        referentialId: state.referentialId,
        version: state.version,
        optionBlocs: state.optionBlocs,
        blocs,
        extraRequirements: (index.referential.extraRequirements ?? []).map((r) => r.code),
        place,
        by: d.by,
        at: d.now,
      },
    },
  ];
}

// ---- transfer (R1, R13) -----------------------------------------------------------------------

function checkCarriedTargets(targets: readonly string[], index: ReferentialIndex): void {
  const unknown = targets.filter((code) => !index.blocs.has(code));
  if (unknown.length > 0)
    throw new ValidationError('TRANSFER.UNKNOWN_TARGET_BLOC', `bloc(s) ${unknown.join(', ')} do not exist in the target version`, { blocs: unknown });
  if (new Set(targets).size !== targets.length) throw new ValidationError('TRANSFER.DUPLICATE_BLOC', 'a target bloc is named twice');
}

function transferOut(command: CommandOf<'TransferOut'>, state: ActiveEnrollment): EnrollmentEvent[] {
  const d = command.data;
  if (d.toReferentialId === state.referentialId && d.toVersion === state.version)
    throw new ValidationError('TRANSFER.SAME_VERSION', 'the enrollment is already on this version');
  const froms = d.carriedBlocs.map((c) => c.fromBloc);
  if (new Set(froms).size !== froms.length) throw new ValidationError('TRANSFER.DUPLICATE_BLOC', 'a source bloc is named twice');
  const notAcquired = froms.filter((code) => state.blocs[code]?.status !== 'validated');
  if (notAcquired.length > 0)
    throw new IllegalStateError('TRANSFER.BLOC_NOT_ACQUIRED', `only validated blocs carry over; not validated: ${notAcquired.join(', ')}`, {
      blocs: notAcquired,
    });
  const carriedBlocs = d.carriedBlocs.map((c) => ({ fromBloc: c.fromBloc, toBloc: c.toBloc, validatedAt: state.blocs[c.fromBloc].validatedAt! }));
  return [
    {
      type: 'EnrollmentTransferredOut',
      data: {
        toEnrollmentId: d.toEnrollmentId,
        toReferentialId: d.toReferentialId,
        toVersion: d.toVersion,
        carriedBlocs,
        optionBlocs: d.optionBlocs ?? [],
        by: d.by,
        at: d.now,
      },
    },
  ];
}

/**
 * The second half of a transfer: the new enrollment, from the source as it recorded the transfer
 * out. The two streams are written one after the other; whoever writes the second (the request, its
 * retry, or the worker finding it missing) builds it here, so it is the same enrollment each time.
 */
export function transferInCommand(sourceEnrollmentId: string, source: ActiveEnrollment): CommandOf<'EnrollByTransfer'> {
  // A caller's mistake, not a refusal: only a transferred source has a second half to write.
  if (source.status !== 'transferred') throw new Error(`enrollment ${sourceEnrollmentId} has not been transferred`);
  const to = source.transferredTo;
  return {
    type: 'EnrollByTransfer',
    data: {
      enrollmentId: to.enrollmentId,
      fromEnrollmentId: sourceEnrollmentId,
      fromVersion: source.version,
      candidateId: source.candidateId,
      organisationId: source.organisationId,
      referentialId: to.referentialId,
      version: to.version,
      cohort: source.cohort,
      accessRoute: source.accessRoute,
      ...(source.apprenticeship ? { apprenticeship: source.apprenticeship } : {}),
      ...(source.trainingStartDate ? { trainingStartDate: source.trainingStartDate } : {}),
      ...(source.registrationInitiative ? { registrationInitiative: source.registrationInitiative } : {}),
      ...(source.vaeVoie ? { vaeVoie: source.vaeVoie } : {}),
      optionBlocs: to.optionBlocs,
      carriedBlocs: to.carriedBlocs,
      by: to.by,
      now: to.at,
    },
  };
}

// ---- issuance (R6, R8) ------------------------------------------------------------------------

function recordDocumentIssued(command: CommandOf<'RecordDocumentIssued'>, state: ActiveEnrollment): EnrollmentEvent[] {
  const d = command.data;
  requireRole(d.by, 'system', 'ISSUANCE.NOT_SYSTEM', 'issuing a document');
  const doc = d.document;
  // Issued once: a job that runs twice, or a decision delivered twice, finds it already there.
  if (Object.values(state.documents).some((existing) => existing.decisionEventId === doc.decisionEventId)) return [];
  if (state.documents[doc.number]) throw new ConflictError('ISSUANCE.NUMBER_TAKEN', `document number ${doc.number} is already used`);
  if (doc.kind === 'attestation') {
    if (!doc.blocCode || state.blocs[doc.blocCode]?.status !== 'validated') {
      throw new IllegalStateError('ISSUANCE.DECISION_WITHDRAWN', `bloc ${doc.blocCode ?? '?'} is no longer validated: no attestation is issued`);
    }
  } else if (state.status !== 'certified') {
    throw new IllegalStateError('ISSUANCE.DECISION_WITHDRAWN', 'the certification is no longer awarded: no certificate is issued');
  }
  return [{ type: 'DocumentIssued', data: { document: doc, by: d.by, at: d.now } }];
}

function recordDocumentRevoked(command: CommandOf<'RecordDocumentRevoked'>, state: ActiveEnrollment): EnrollmentEvent[] {
  const d = command.data;
  requireRole(d.by, 'system', 'ISSUANCE.NOT_SYSTEM', 'revoking a document');
  const document = state.documents[d.number];
  if (!document) throw new NotFoundError('ISSUANCE.UNKNOWN_DOCUMENT', `no document ${d.number}`);
  // Revoked once, whatever the number of deliveries.
  if (document.revokedAt) return [];
  return [{ type: 'DocumentRevoked', data: { number: d.number, kind: document.kind, reasonCategory: d.reasonCategory, by: d.by, at: d.now } }];
}

function recordDocumentReissued(command: CommandOf<'RecordDocumentReissued'>, state: ActiveEnrollment): EnrollmentEvent[] {
  const d = command.data;
  requireRole(d.by, 'system', 'ISSUANCE.NOT_SYSTEM', 'reissuing a document');
  const reissue = { ...d.reissue, reason: required(d.reissue.reason, 'reason') };
  const document = state.documents[reissue.number];
  if (!document) throw new NotFoundError('ISSUANCE.UNKNOWN_DOCUMENT', `no document ${reissue.number}`);
  // A revoked document attests nothing any more: it is not replaced.
  if (document.revokedAt)
    throw new IllegalStateError('ISSUANCE.DOCUMENT_REVOKED', `document ${reissue.number} was revoked on ${document.revokedAt}: it is not reissued`);
  const current = document.version ?? 1;
  // The same version delivered twice: recorded once.
  if (reissue.version === current && document.pdfSha256 === reissue.pdfSha256 && document.credentialSha256 === reissue.credentialSha256) return [];
  if (reissue.version !== current + 1)
    throw new ConflictError(
      'ISSUANCE.VERSION_TAKEN',
      `document ${reissue.number} is at version ${current}: its next version is ${current + 1}, not ${reissue.version}`,
    );
  return [{ type: 'DocumentReissued', data: { reissue, by: d.by, at: d.now } }];
}

/** The enrollment stream type as one object (emmett's decider shape): where it lives, how it folds, how it decides. */
export const enrollmentDecider = {
  streamIdOf: enrollmentStreamId,
  initialState: initialEnrollmentState,
  evolve: evolveEnrollment,
  decide: decideEnrollment,
} as const;
