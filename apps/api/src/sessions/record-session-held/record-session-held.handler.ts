import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { assertMayAccess, checkSessionHeld, decideExamSession, DomainError, heldConditionsOf, NotFoundError, SessionCandidateOutcome } from '@jalon/domain';
import { formatPosition } from '@jalon/event-store';
import { StreamCommandHandlers } from '@jalon/runtime';
import { actorOf } from '../../enrollments/enrollment-act';
import { EnrollmentCommands } from '../../enrollments/enrollment-commands.service';
import { sessionSittingId } from '../session-sittings';
import { CandidateHeldView, SessionHeldView } from '../sessions.responses.dto';
import { RecordSessionHeldCommand } from './record-session-held.command';

/**
 * Records a session held in one act: the session's record is checked first (who, when, its own
 * candidates), then each present candidate's sitting is recorded held on their own enrollment
 * stream (one append each: RecordSittingHeld, as scheduled unless said otherwise), then the
 * session's stream records what became of each (SessionHeld). A refusal is reported for that
 * candidate, with the domain's code, and undoes no other.
 */
@CommandHandler(RecordSessionHeldCommand)
export class RecordSessionHeldHandler implements ICommandHandler<RecordSessionHeldCommand, SessionHeldView> {
  constructor(
    private readonly handlers: StreamCommandHandlers,
    private readonly enrollments: EnrollmentCommands,
  ) {}

  async execute({ sessionId, actor, heldAt, candidates }: RecordSessionHeldCommand): Promise<SessionHeldView> {
    const by = actorOf(actor);
    const { state: loaded } = await this.handlers.sessions.load(sessionId);
    // Another organisation's session, or one the assessor is not of, does not exist for the caller.
    if (loaded.status === 'none' || loaded.organisationId !== actor.organisationId) throw new NotFoundError('SESSION.NOT_FOUND', 'no such session');
    const session = checkSessionHeld(loaded, { heldAt, enrollmentIds: candidates.map((c) => c.enrollmentId), by, now: new Date().toISOString() });

    const views: CandidateHeldView[] = [];
    const outcomes: SessionCandidateOutcome[] = [];
    for (const candidate of candidates) {
      const { enrollmentId } = candidate;
      if (candidate.absent) {
        views.push({ enrollmentId, status: 'absent' });
        outcomes.push({ enrollmentId, outcome: 'absent' });
        continue;
      }
      const sittingId = sessionSittingId(session.sessionId, enrollmentId);
      try {
        // What was scheduled for them is read from their own path: their effective durations are never sent to the caller.
        const { state } = await this.handlers.enrollments.load(enrollmentId);
        if (state.status === 'none') throw new NotFoundError('ENROLLMENT.NOT_FOUND', 'no such enrollment');
        assertMayAccess(actor, state);
        const sitting = state.sittings[sittingId];
        if (!sitting) throw new NotFoundError('SITTING.NOT_FOUND', `no sitting of this session on enrollment ${enrollmentId}`);
        const conditions = heldConditionsOf(sitting, candidate);
        await this.enrollments.run(enrollmentId, actor, (now) => ({
          type: 'RecordSittingHeld',
          data: { sittingId, heldAt, ...conditions, ...(candidate.mode ? { mode: candidate.mode } : {}), by, now },
        }));
        views.push({ enrollmentId, status: 'held' });
        outcomes.push({ enrollmentId, outcome: 'held' });
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        views.push({ enrollmentId, status: 'refused', refusal: { code: error.code, message: error.message } });
        outcomes.push({ enrollmentId, outcome: 'refused', code: error.code });
      }
    }
    const recorded = await this.handlers.sessions.handle(
      sessionId,
      (state) => decideExamSession({ type: 'RecordExamSessionHeld', data: { heldAt, outcomes, by, now: new Date().toISOString() } }, state),
      { organisationId: actor.organisationId },
    );
    return { id: sessionId, position: recorded.position ? formatPosition(recorded.position) : null, candidates: views };
  }
}
