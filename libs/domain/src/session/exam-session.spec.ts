import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../shared/errors';
import { deciderSpec } from '../testing/decider-spec';
import { fixtureReferential } from '../testing/fixture-referential';
import {
  assertEnrollmentFitsSession,
  assertMayReadSession,
  heldConditionsOf,
  decideExamSession,
  ExamSessionCommand,
  ExamSessionEvent,
  ExamSessionPlan,
  evolveExamSession,
  initialExamSessionState,
  sessionSittingMode,
  SessionCandidateOutcome,
  sessionTimetable,
} from './exam-session';
import { Actor } from '../shared/actor';

const admin = { id: 'admin-1', role: 'admin' as const };
const assessor = { id: 'assessor-1', role: 'assessor' as const };
const now = '2026-06-20T10:00:00Z';
const plan: ExamSessionPlan = {
  sessionId: 's-1',
  organisationId: 'org-1',
  referentialId: 'fixture-cert',
  version: '1',
  epreuveCode: 'E1',
  place: 'Salle 204',
  scheduledAt: '2026-06-15T09:00:00+02:00',
  assessorIds: ['assessor-1'],
  enrollmentIds: ['e-1', 'e-2', 'e-3'],
};
const scheduled: ExamSessionEvent = { type: 'SessionScheduled', data: { ...plan, by: admin, at: now } };

const spec = deciderSpec<ExamSessionCommand, ExamSessionEvent, ReturnType<typeof initialExamSessionState>>(
  (command, state) => decideExamSession(command, state, { referential: fixtureReferential }),
  evolveExamSession,
  initialExamSessionState,
);
const schedule = (changes: Partial<ExamSessionPlan> = {}, by: { id: string; role: 'admin' | 'assessor' } = admin): ExamSessionCommand => ({
  type: 'ScheduleExamSession',
  data: { ...plan, ...changes, by, now },
});
const held = (outcomes: readonly SessionCandidateOutcome[], by: Actor = admin, heldAt = '2026-06-15T09:00:00+02:00'): ExamSessionCommand => ({
  type: 'RecordExamSessionHeld',
  data: { heldAt, outcomes, by, now },
});

describe('a session d’examen', () => {
  it('is scheduled by an admin: épreuve, version, place, time, assessors and its candidates', () => {
    spec
      .given([])
      .when(schedule({ place: '  Salle 204 ' }))
      .then([scheduled]);
  });

  it('is refused when it names no candidate, one twice, no assessor, no place, an unknown épreuve, or exists already', () => {
    spec
      .given([])
      .when(schedule({ enrollmentIds: [] }))
      .thenThrows(ValidationError, 'SESSION.NO_CANDIDATE');
    spec
      .given([])
      .when(schedule({ enrollmentIds: ['e-1', 'e-1'] }))
      .thenThrows(ValidationError, 'SESSION.CANDIDATE_REPEATED');
    spec
      .given([])
      .when(schedule({ assessorIds: [] }))
      .thenThrows(ValidationError, 'SESSION.NO_ASSESSOR');
    spec
      .given([])
      .when(schedule({ assessorIds: ['a', 'a'] }))
      .thenThrows(ValidationError, 'SESSION.ASSESSOR_REPEATED');
    spec
      .given([])
      .when(schedule({ assessorIds: Array.from({ length: 11 }, (_, i) => `a-${i}`) }))
      .thenThrows(ValidationError, 'SESSION.TOO_MANY_ASSESSORS');
    spec
      .given([])
      .when(schedule({ enrollmentIds: Array.from({ length: 201 }, (_, i) => `e-${i}`) }))
      .thenThrows(ValidationError, 'SESSION.TOO_MANY_CANDIDATES');
    spec
      .given([])
      .when(schedule({ place: ' ' }))
      .thenThrows(ValidationError, 'SESSION.NO_PLACE');
    spec
      .given([])
      .when(schedule({ scheduledAt: 'demain' }))
      .thenThrows(ValidationError, 'COMMAND.INVALID_DATE');
    spec
      .given([])
      .when(schedule({ epreuveCode: 'E9' }))
      .thenThrows(ValidationError, 'SESSION.UNKNOWN_EPREUVE');
    spec.given([]).when(schedule({}, assessor)).thenThrows(ForbiddenError, 'SESSION.NOT_ADMIN');
    spec.given([scheduled]).when(schedule()).thenThrows(ConflictError, 'SESSION.ALREADY_EXISTS');
  });

  it('is recorded held with each candidate’s outcome, by an admin or one of its assessors', () => {
    const outcomes = [
      { enrollmentId: 'e-1', outcome: 'held' as const },
      { enrollmentId: 'e-2', outcome: 'absent' as const },
      { enrollmentId: 'e-3', outcome: 'refused' as const, code: 'ENROLLMENT.WITHDRAWN' },
    ];
    spec
      .given([scheduled])
      .when(held(outcomes, assessor))
      .then([{ type: 'SessionHeld', data: { sessionId: 's-1', heldAt: '2026-06-15T09:00:00+02:00', outcomes, by: assessor, at: now } }]);
    const state = [scheduled, ...decideExamSession(held(outcomes), evolveExamSession(initialExamSessionState(), scheduled))].reduce(
      evolveExamSession,
      initialExamSessionState(),
    );
    expect(state).toMatchObject({ status: 'held', outcomes: { 'e-1': { outcome: 'held' }, 'e-2': { outcome: 'absent' } } });
  });

  it('records a candidate held once: recording them again adds nothing, and an absent one may be recorded later', () => {
    const first: ExamSessionEvent = {
      type: 'SessionHeld',
      data: {
        sessionId: 's-1',
        heldAt: plan.scheduledAt,
        outcomes: [
          { enrollmentId: 'e-1', outcome: 'held' },
          { enrollmentId: 'e-2', outcome: 'absent' },
        ],
        by: admin,
        at: now,
      },
    };
    spec
      .given([scheduled, first])
      .when(held([{ enrollmentId: 'e-1', outcome: 'held' }]))
      .then([]);
    expect(
      spec
        .given([scheduled, first])
        .when(held([{ enrollmentId: 'e-2', outcome: 'held' }]))
        .events(),
    ).toHaveLength(1);
  });

  it('refuses a record of a session that does not exist, by another assessor, in the future, or of a candidate not in it', () => {
    spec
      .given([])
      .when(held([{ enrollmentId: 'e-1', outcome: 'held' }]))
      .thenThrows(NotFoundError, 'SESSION.NOT_FOUND');
    spec
      .given([scheduled])
      .when(held([{ enrollmentId: 'e-1', outcome: 'held' }], { id: 'assessor-2', role: 'assessor' }))
      .thenThrows(ForbiddenError, 'SESSION.ASSESSOR_NOT_ASSIGNED');
    spec
      .given([scheduled])
      .when(held([{ enrollmentId: 'e-1', outcome: 'held' }], { id: 'jury-1', role: 'jury' } as never))
      .thenThrows(ForbiddenError, 'SESSION.NOT_ALLOWED');
    spec
      .given([scheduled])
      .when(held([{ enrollmentId: 'e-1', outcome: 'held' }], admin, '2026-07-01T09:00:00Z'))
      .thenThrows(ValidationError, 'SESSION.HELD_IN_FUTURE');
    spec
      .given([scheduled])
      .when(held([{ enrollmentId: 'e-9', outcome: 'held' }]))
      .thenThrows(ValidationError, 'SESSION.CANDIDATE_NOT_IN_SESSION');
    spec.given([scheduled]).when(held([])).thenThrows(ValidationError, 'SESSION.NO_OUTCOME');
    spec
      .given([scheduled])
      .when(
        held([
          { enrollmentId: 'e-1', outcome: 'held' },
          { enrollmentId: 'e-1', outcome: 'absent' },
        ]),
      )
      .thenThrows(ValidationError, 'SESSION.CANDIDATE_REPEATED');
  });

  it('is read by an admin of its organisation and its own assessors; anyone else is told it does not exist', () => {
    const state = evolveExamSession(initialExamSessionState(), scheduled);
    expect(assertMayReadSession({ ...admin, organisationId: 'org-1' }, state).sessionId).toBe('s-1');
    expect(assertMayReadSession({ ...assessor, organisationId: 'org-1' }, state).sessionId).toBe('s-1');
    for (const reader of [
      { ...admin, organisationId: 'org-2' },
      { id: 'assessor-2', role: 'assessor', organisationId: 'org-1' },
      { id: 'jury-1', role: 'jury', organisationId: 'org-1' },
    ])
      expect(() => assertMayReadSession(reader, state)).toThrow(NotFoundError);
    expect(() => assertMayReadSession({ ...admin, organisationId: 'org-1' }, initialExamSessionState())).toThrow(NotFoundError);
  });

  it('has a timetable: the start, the base duration and the latest end, which a tiers-temps lengthens without saying whose', () => {
    const base = [{ baseDurationMinutes: 30 }];
    const plain = { timedParts: [{ code: 'soutenance', baseDurationMinutes: 30, effectiveDurationMinutes: 30 }] };
    const tiersTemps = { timedParts: [{ code: 'soutenance', baseDurationMinutes: 30, effectiveDurationMinutes: 40 }] };
    expect(sessionTimetable('2026-06-15T07:00:00.000Z', base, [plain, plain])).toEqual({
      startsAt: '2026-06-15T07:00:00.000Z',
      baseDurationMinutes: 30,
      latestEndAt: '2026-06-15T07:30:00.000Z',
    });
    const timetable = sessionTimetable('2026-06-15T07:00:00.000Z', base, [plain, tiersTemps, plain]);
    expect(timetable).toEqual({ startsAt: '2026-06-15T07:00:00.000Z', baseDurationMinutes: 30, latestEndAt: '2026-06-15T07:40:00.000Z' });
    expect(Object.keys(timetable)).toEqual(['startsAt', 'baseDurationMinutes', 'latestEndAt']);
    expect(sessionTimetable('2026-06-15T07:00:00.000Z', [], [])).toEqual({
      startsAt: '2026-06-15T07:00:00.000Z',
      baseDurationMinutes: null,
      latestEndAt: null,
    });
  });

  it('takes a sitting’s mode only among the known ones', () => {
    expect(sessionSittingMode('distance')).toBe('distance');
    expect(sessionSittingMode(undefined)).toBeUndefined();
    expect(() => sessionSittingMode('téléphone')).toThrow(ValidationError);
  });

  it('takes only enrollments of its version', () => {
    expect(() => assertEnrollmentFitsSession(plan, { referentialId: 'fixture-cert', version: '1' })).not.toThrow();
    expect(() => assertEnrollmentFitsSession(plan, { referentialId: 'fixture-cert', version: '2' })).toThrow(
      expect.objectContaining({ code: 'SESSION.ENROLLMENT_OF_ANOTHER_VERSION' }),
    );
  });

  it('records a sitting held as scheduled unless told otherwise', () => {
    const sitting = {
      timedParts: [{ code: 'soutenance', baseDurationMinutes: 30, effectiveDurationMinutes: 40 }],
      applicableAccommodations: [{ accommodationId: 'acc-1', kind: 'tiers-temps' as const }],
    };
    expect(heldConditionsOf(sitting, {})).toEqual({ timedParts: [{ code: 'soutenance', actualDurationMinutes: 40 }], accommodationsApplied: ['acc-1'] });
    expect(heldConditionsOf(sitting, { timedParts: [{ code: 'soutenance', actualDurationMinutes: 45 }] }).accommodationsApplied).toEqual(['acc-1']);
    expect(heldConditionsOf(sitting, { timedParts: [{ code: 'soutenance', actualDurationMinutes: 30 }] }).accommodationsApplied).toEqual([]);
    expect(heldConditionsOf(sitting, { accommodationsApplied: [] })).toEqual({
      timedParts: [{ code: 'soutenance', actualDurationMinutes: 40 }],
      accommodationsApplied: [],
    });
  });
});
