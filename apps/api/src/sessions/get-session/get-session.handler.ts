import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { assertMayReadSession, indexReferential, sessionTimetable, SittingState } from '@jalon/domain';
import { ReferentialResolver, StreamCommandHandlers } from '@jalon/runtime';
import { sessionSittingId } from '../session-sittings';
import { SessionCandidateView, SessionView } from '../sessions.responses.dto';
import { GetSessionQuery } from './get-session.query';

/**
 * A session as its admin or its assessors see it: the plan, each candidate's sitting status as
 * their own path says, and the timetable. Each path is read sealed (nothing opened): the effective
 * durations are clear facts, and the answer says only the latest end of all, never whose.
 */
@QueryHandler(GetSessionQuery)
export class GetSessionHandler implements IQueryHandler<GetSessionQuery, SessionView> {
  constructor(
    private readonly handlers: StreamCommandHandlers,
    private readonly referentials: ReferentialResolver,
  ) {}

  async execute({ sessionId, actor }: GetSessionQuery): Promise<SessionView> {
    const session = assertMayReadSession(actor, (await this.handlers.sessions.load(sessionId)).state);
    const referential = await this.referentials.resolve(session.referentialId, session.version);
    const epreuve = indexReferential(referential).epreuves.get(session.epreuveCode)!.epreuve;
    const sittings: SittingState[] = [];
    const candidates: SessionCandidateView[] = [];
    for (const enrollmentId of session.enrollmentIds) {
      const { state } = await this.handlers.enrollments.load(enrollmentId);
      const sittingId = sessionSittingId(session.sessionId, enrollmentId);
      const sitting = state.status === 'none' ? undefined : state.sittings[sittingId];
      if (sitting) sittings.push(sitting);
      const recorded = session.outcomes[enrollmentId];
      candidates.push({
        enrollmentId,
        candidateId: state.status === 'none' ? '' : state.candidateId,
        cohort: state.status === 'none' ? '' : state.cohort,
        sittingId,
        sittingStatus: sitting?.status ?? 'not-scheduled',
        ...(recorded ? { recorded: recorded.outcome } : {}),
        ...(recorded?.outcome === 'refused' ? { refusalCode: recorded.code } : {}),
      });
    }
    const timedParts = epreuve.timedParts ?? [];
    return {
      id: session.sessionId,
      referentialId: session.referentialId,
      version: session.version,
      epreuveCode: session.epreuveCode,
      epreuveTitle: epreuve.title,
      timedParts: timedParts.map((p) => ({ code: p.code, title: p.title, baseDurationMinutes: p.baseDurationMinutes })),
      place: session.place,
      assessorIds: [...session.assessorIds],
      status: session.status,
      ...(session.heldAt ? { heldAt: session.heldAt } : {}),
      timetable: sessionTimetable(session.scheduledAt, timedParts, sittings),
      candidates,
    };
  }
}
