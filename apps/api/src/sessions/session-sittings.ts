import { stableIdOf } from '@jalon/event-store';

/**
 * A candidate's sitting in a session: its id derives from the session's and the enrollment's, so a
 * retried request schedules the same sitting (refused as already there, never a second one), and
 * the session's timetable finds each candidate's sitting on their path without storing it.
 */
export const sessionSittingId = (sessionId: string, enrollmentId: string): string => stableIdOf('session-sitting', sessionId, enrollmentId);
