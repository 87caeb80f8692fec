import { Actor } from '../shared/actor';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../shared/errors';
import { indexReferential } from '../referential/referential-index';
import { Referential } from '../referential/referential.model';
import { SittingMode, SITTING_MODES } from '../enrollment/enrollment.commands';
import { TimedPartSchedule } from '../enrollment/enrollment.events';
import { SittingState } from '../enrollment/enrollment.state';

/**
 * A session d'examen: one épreuve of one certification version, for a group of candidates, at one
 * place and time, with its assessors. The session is a stream of its own (`session-<id>`) that
 * records the plan and what was recorded when it was held; each candidate's sitting stays on their
 * own enrollment stream (ScheduleSitting, RecordSittingHeld), with their own effective durations,
 * under an id derived from the session's and the enrollment's (so a retried request creates
 * nothing twice). The session never holds health data: its timetable says the start, the base
 * duration and the latest end, never whose sitting ends then.
 */

const SESSION_STREAM = 'session-';

/** The stream of one session: `session-<id>`. */
export const examSessionStreamId = (sessionId: string): string => `${SESSION_STREAM}${sessionId}`;

/** The session id of a session stream, undefined for any other stream. */
export const examSessionIdOf = (streamId: string): string | undefined =>
  streamId.startsWith(SESSION_STREAM) ? streamId.slice(SESSION_STREAM.length) : undefined;

/** The most candidates one session takes (one request schedules each of them). */
export const MAX_SESSION_CANDIDATES = 200;
export const MAX_SESSION_ASSESSORS = 10;

/** What became of one candidate when the session was held. */
export type SessionCandidateOutcome =
  | { readonly enrollmentId: string; readonly outcome: 'held' }
  | { readonly enrollmentId: string; readonly outcome: 'absent' }
  /** The candidate's enrollment refused the record: its domain code, nothing else. */
  | { readonly enrollmentId: string; readonly outcome: 'refused'; readonly code: string };

export interface ExamSessionPlan {
  readonly sessionId: string;
  readonly organisationId: string;
  readonly referentialId: string;
  readonly version: string;
  readonly epreuveCode: string;
  readonly place: string;
  readonly scheduledAt: string;
  readonly assessorIds: readonly string[];
  readonly enrollmentIds: readonly string[];
}

interface EventBase {
  readonly by: Actor;
  readonly at: string;
}

export type ExamSessionEvent =
  | { readonly type: 'SessionScheduled'; readonly data: EventBase & ExamSessionPlan }
  | {
      readonly type: 'SessionHeld';
      readonly data: EventBase & { readonly sessionId: string; readonly heldAt: string; readonly outcomes: readonly SessionCandidateOutcome[] };
    };

export const EXAM_SESSION_EVENT_TYPES: readonly ExamSessionEvent['type'][] = ['SessionScheduled', 'SessionHeld'];

export type ExamSessionCommand =
  | { readonly type: 'ScheduleExamSession'; readonly data: ExamSessionPlan & { readonly by: Actor; readonly now: string } }
  | {
      readonly type: 'RecordExamSessionHeld';
      readonly data: { readonly heldAt: string; readonly outcomes: readonly SessionCandidateOutcome[]; readonly by: Actor; readonly now: string };
    };

export type ExamSessionState =
  | { readonly status: 'none' }
  | (ExamSessionPlan & {
      readonly status: 'scheduled' | 'held';
      /** The last outcome recorded for each candidate, once the session was held. */
      readonly outcomes: Readonly<Record<string, SessionCandidateOutcome>>;
      readonly heldAt?: string;
    });

export type ScheduledExamSession = Exclude<ExamSessionState, { status: 'none' }>;

export interface ExamSessionContext {
  /** The version of the session's épreuve (for ScheduleExamSession). */
  readonly referential?: Referential;
}

export const initialExamSessionState = (): ExamSessionState => ({ status: 'none' });

export function evolveExamSession(state: ExamSessionState, event: ExamSessionEvent): ExamSessionState {
  switch (event.type) {
    case 'SessionScheduled': {
      const { by: _by, at: _at, ...plan } = event.data;
      return { ...plan, status: 'scheduled', outcomes: {} };
    }
    case 'SessionHeld': {
      if (state.status === 'none') return state;
      const outcomes = { ...state.outcomes };
      for (const outcome of event.data.outcomes) outcomes[outcome.enrollmentId] = outcome;
      return { ...state, status: 'held', heldAt: state.heldAt ?? event.data.heldAt, outcomes };
    }
  }
}

/** A sitting is recorded as held once it has been: a few minutes of clock drift aside, not ahead of the clock. */
const HELD_CLOCK_SKEW_MS = 5 * 60_000;

const repeated = (values: readonly string[]): string[] => [...new Set(values.filter((v, i) => values.indexOf(v) !== i))];

function validInstant(value: string, field: string): void {
  if (Number.isNaN(Date.parse(value))) throw new ValidationError('COMMAND.INVALID_DATE', `${field} is not a date: ${value}`, { field });
}

/**
 * Who may record a session held, or read its timetable: an admin of its organisation, or one of its
 * assessors. Anyone else is told it does not exist (404), so a session's existence does not leak.
 */
export function assertMayReadSession(
  reader: { readonly id: string; readonly role: string; readonly organisationId: string },
  state: ExamSessionState,
): ScheduledExamSession {
  if (state.status === 'none') throw new NotFoundError('SESSION.NOT_FOUND', 'no such session');
  const admin = reader.role === 'admin' && reader.organisationId === state.organisationId;
  const assessor = reader.role === 'assessor' && reader.organisationId === state.organisationId && state.assessorIds.includes(reader.id);
  if (!admin && !assessor) throw new NotFoundError('SESSION.NOT_FOUND', 'no such session');
  return state;
}

export function decideExamSession(command: ExamSessionCommand, state: ExamSessionState, context: ExamSessionContext = {}): ExamSessionEvent[] {
  switch (command.type) {
    case 'ScheduleExamSession':
      return scheduleSession(command.data, state, context);
    case 'RecordExamSessionHeld':
      return recordHeld(command.data, state);
  }
}

function scheduleSession(
  d: Extract<ExamSessionCommand, { type: 'ScheduleExamSession' }>['data'],
  state: ExamSessionState,
  context: ExamSessionContext,
): ExamSessionEvent[] {
  if (d.by.role !== 'admin') throw new ForbiddenError('SESSION.NOT_ADMIN', 'an admin of the school schedules a session');
  if (state.status !== 'none') throw new ConflictError('SESSION.ALREADY_EXISTS', `session ${d.sessionId} already exists`);
  const place = d.place.trim();
  if (place === '') throw new ValidationError('SESSION.NO_PLACE', 'a session takes place somewhere: say where', { field: 'place' });
  validInstant(d.scheduledAt, 'scheduledAt');
  if (d.enrollmentIds.length === 0)
    throw new ValidationError('SESSION.NO_CANDIDATE', 'a session is scheduled for at least one candidate', { field: 'enrollmentIds' });
  if (d.enrollmentIds.length > MAX_SESSION_CANDIDATES)
    throw new ValidationError('SESSION.TOO_MANY_CANDIDATES', `a session takes at most ${MAX_SESSION_CANDIDATES} candidates`, { field: 'enrollmentIds' });
  const twice = repeated(d.enrollmentIds);
  if (twice.length > 0)
    throw new ValidationError('SESSION.CANDIDATE_REPEATED', `enrollment(s) ${twice.join(', ')} listed more than once`, {
      field: 'enrollmentIds',
      enrollmentIds: twice,
    });
  const assessorIds = d.assessorIds.map((id) => id.trim());
  if (assessorIds.length === 0 || assessorIds.some((id) => id === ''))
    throw new ValidationError('SESSION.NO_ASSESSOR', 'a session is assigned at least one assessor', { field: 'assessorIds' });
  if (assessorIds.length > MAX_SESSION_ASSESSORS)
    throw new ValidationError('SESSION.TOO_MANY_ASSESSORS', `a session has at most ${MAX_SESSION_ASSESSORS} assessors`, { field: 'assessorIds' });
  if (repeated(assessorIds).length > 0)
    throw new ValidationError('SESSION.ASSESSOR_REPEATED', 'an assessor is listed more than once', { field: 'assessorIds' });
  const referential = context.referential;
  if (!referential || referential.referential !== d.referentialId || referential.version !== d.version)
    throw new Error('a session is decided with the référentiel version it names');
  if (!indexReferential(referential).epreuves.has(d.epreuveCode))
    throw new ValidationError('SESSION.UNKNOWN_EPREUVE', `épreuve ${d.epreuveCode} does not exist in this référentiel`, {
      field: 'epreuveCode',
      epreuve: d.epreuveCode,
    });
  const { by, now, ...plan } = d;
  return [{ type: 'SessionScheduled', data: { ...plan, place, assessorIds, by, at: now } }];
}

/**
 * What may be recorded of a session held: by an admin of the school or one of its assessors, once
 * it took place, for its own candidates, each once per record. Checked before any candidate's act,
 * and again when the outcomes are recorded.
 */
export function checkSessionHeld(
  state: ExamSessionState,
  d: { readonly heldAt: string; readonly enrollmentIds: readonly string[]; readonly by: Actor; readonly now: string },
): ScheduledExamSession {
  if (state.status === 'none') throw new NotFoundError('SESSION.NOT_FOUND', 'no such session');
  if (d.by.role === 'assessor' && !state.assessorIds.includes(d.by.id))
    throw new ForbiddenError('SESSION.ASSESSOR_NOT_ASSIGNED', `${d.by.id} is not an assessor of session ${state.sessionId}`);
  if (d.by.role !== 'admin' && d.by.role !== 'assessor')
    throw new ForbiddenError('SESSION.NOT_ALLOWED', 'an admin of the school or an assessor of the session records it held');
  validInstant(d.heldAt, 'heldAt');
  if (Date.parse(d.heldAt) > Date.parse(d.now) + HELD_CLOCK_SKEW_MS)
    throw new ValidationError('SESSION.HELD_IN_FUTURE', `heldAt ${d.heldAt} is in the future: a session is recorded once held`, { field: 'heldAt' });
  if (d.enrollmentIds.length === 0) throw new ValidationError('SESSION.NO_OUTCOME', 'say what became of at least one candidate', { field: 'outcomes' });
  const twice = repeated(d.enrollmentIds);
  if (twice.length > 0)
    throw new ValidationError('SESSION.CANDIDATE_REPEATED', `enrollment(s) ${twice.join(', ')} given more than once`, {
      field: 'outcomes',
      enrollmentIds: twice,
    });
  const strangers = d.enrollmentIds.filter((id) => !state.enrollmentIds.includes(id));
  if (strangers.length > 0)
    throw new ValidationError('SESSION.CANDIDATE_NOT_IN_SESSION', `enrollment(s) ${strangers.join(', ')} are not candidates of this session`, {
      field: 'outcomes',
      enrollmentIds: strangers,
    });
  return state;
}

function recordHeld(d: Extract<ExamSessionCommand, { type: 'RecordExamSessionHeld' }>['data'], state: ExamSessionState): ExamSessionEvent[] {
  const session = checkSessionHeld(state, { ...d, enrollmentIds: d.outcomes.map((o) => o.enrollmentId) });
  // A candidate already recorded held stays held: recording them again records nothing new for them.
  const outcomes = d.outcomes.filter((o) => session.outcomes[o.enrollmentId]?.outcome !== 'held' || o.outcome !== 'held');
  if (outcomes.length === 0) return [];
  return [{ type: 'SessionHeld', data: { sessionId: session.sessionId, heldAt: d.heldAt, outcomes, by: d.by, at: d.now } }];
}

/** A candidate of a session is enrolled in its certification version: an enrollment of another is refused for them alone. */
export function assertEnrollmentFitsSession(
  plan: Pick<ExamSessionPlan, 'referentialId' | 'version'>,
  enrollment: { readonly referentialId: string; readonly version: string },
): void {
  if (enrollment.referentialId !== plan.referentialId || enrollment.version !== plan.version)
    throw new ValidationError(
      'SESSION.ENROLLMENT_OF_ANOTHER_VERSION',
      `the enrollment is in ${enrollment.referentialId} version ${enrollment.version}, the session in ${plan.referentialId} version ${plan.version}`,
      { field: 'enrollmentIds' },
    );
}

/**
 * The conditions a candidate's sitting is recorded held under, from what the session's record says
 * of them. Nothing said: as scheduled — each timed part lasted its own effective duration, and every
 * accommodation that applied was given. Durations said: the accommodations count as given when
 * every part lasted at least what was scheduled, otherwise as not given (an R11 finding) — unless
 * the record names those given.
 */
export function heldConditionsOf(
  sitting: Pick<SittingState, 'timedParts' | 'applicableAccommodations'>,
  said: {
    readonly timedParts?: readonly { readonly code: string; readonly actualDurationMinutes: number }[];
    readonly accommodationsApplied?: readonly string[];
  },
): { timedParts: { code: string; actualDurationMinutes: number }[]; accommodationsApplied: string[] } {
  const timedParts = said.timedParts
    ? said.timedParts.map((p) => ({ code: p.code, actualDurationMinutes: p.actualDurationMinutes }))
    : sitting.timedParts.map((p) => ({ code: p.code, actualDurationMinutes: p.effectiveDurationMinutes }));
  if (said.accommodationsApplied) return { timedParts, accommodationsApplied: [...said.accommodationsApplied] };
  const asLong = sitting.timedParts.every(
    (part) => (timedParts.find((p) => p.code === part.code)?.actualDurationMinutes ?? 0) >= part.effectiveDurationMinutes,
  );
  return { timedParts, accommodationsApplied: asLong ? sitting.applicableAccommodations.map((a) => a.accommodationId) : [] };
}

/** A sitting's mode as the session's record takes it. */
export function sessionSittingMode(mode: string | undefined): SittingMode | undefined {
  if (mode === undefined) return undefined;
  if (!(SITTING_MODES as readonly string[]).includes(mode))
    throw new ValidationError('SITTING.UNKNOWN_MODE', `mode is one of ${SITTING_MODES.join(', ')}`, { field: 'mode' });
  return mode as SittingMode;
}

/** The session's timetable, as anyone who may read the session sees it: nothing of whose sitting ends when. */
export interface SessionTimetable {
  readonly startsAt: string;
  /** The épreuve's timed parts end to end, as the référentiel gives them (null: the épreuve has none). */
  readonly baseDurationMinutes: number | null;
  /** When the last candidate's sitting ends, each with their own effective durations (null: no timed part). */
  readonly latestEndAt: string | null;
}

/**
 * The start, the base duration and the latest end of a session: the latest end is the longest of
 * the candidates' own effective durations (a tiers-temps lengthens it), without saying whose.
 */
export function sessionTimetable(
  startsAt: string,
  baseParts: readonly { readonly baseDurationMinutes: number }[],
  sittings: readonly { readonly timedParts: readonly TimedPartSchedule[] }[],
): SessionTimetable {
  if (baseParts.length === 0) return { startsAt, baseDurationMinutes: null, latestEndAt: null };
  const base = baseParts.reduce((sum, p) => sum + p.baseDurationMinutes, 0);
  const longest = sittings.reduce(
    (max, s) =>
      Math.max(
        max,
        s.timedParts.reduce((sum, p) => sum + p.effectiveDurationMinutes, 0),
      ),
    base,
  );
  return { startsAt, baseDurationMinutes: base, latestEndAt: new Date(Date.parse(startsAt) + longest * 60_000).toISOString() };
}

export const examSessionDecider = {
  streamIdOf: examSessionStreamId,
  initialState: initialExamSessionState,
  evolve: evolveExamSession,
  decide: decideExamSession,
} as const;
