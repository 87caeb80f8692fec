import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { assertEnrollmentFitsSession, assertMayAccess, decideExamSession, DomainError, NotFoundError } from '@jalon/domain';
import { formatPosition, newId } from '@jalon/event-store';
import { ReferentialResolver, StreamCommandHandlers } from '@jalon/runtime';
import { actorOf } from '../../enrollments/enrollment-act';
import { EnrollmentCommands } from '../../enrollments/enrollment-commands.service';
import { CandidateScheduledView, SessionScheduledView } from '../sessions.responses.dto';
import { sessionSittingId } from '../session-sittings';
import { ScheduleSessionCommand } from './schedule-session.command';

/**
 * Schedules a session: its plan on its own stream first (refused whole if the plan itself is
 * wrong), then each candidate's sitting on their own enrollment stream, one append each, under an
 * id derived from the session's and the enrollment's. A candidate refused is reported with the
 * domain's code and stops no other; under an Idempotency-Key a retry appends nothing twice.
 */
@CommandHandler(ScheduleSessionCommand)
export class ScheduleSessionHandler implements ICommandHandler<ScheduleSessionCommand, SessionScheduledView> {
  constructor(
    private readonly handlers: StreamCommandHandlers,
    private readonly referentials: ReferentialResolver,
    private readonly enrollments: EnrollmentCommands,
  ) {}

  async execute(command: ScheduleSessionCommand): Promise<SessionScheduledView> {
    const { actor, referentialId, version, epreuveCode, place, scheduledAt, assessorIds, enrollmentIds } = command;
    const sessionId = newId('session');
    const referential = await this.referentials.resolve(referentialId, version);
    const by = actorOf(actor);
    const planned = await this.handlers.sessions.handle(
      sessionId,
      (state) =>
        decideExamSession(
          {
            type: 'ScheduleExamSession',
            data: {
              sessionId,
              organisationId: actor.organisationId,
              referentialId,
              version,
              epreuveCode,
              place,
              scheduledAt,
              assessorIds,
              enrollmentIds,
              by,
              now: new Date().toISOString(),
            },
          },
          state,
          { referential },
        ),
      { organisationId: actor.organisationId },
    );
    let position = planned.position ? formatPosition(planned.position) : null;
    const candidates: CandidateScheduledView[] = [];
    // One at a time: each is one append on its own stream; a refusal is theirs alone.
    for (const enrollmentId of enrollmentIds) {
      const sittingId = sessionSittingId(sessionId, enrollmentId);
      try {
        const { state } = await this.handlers.enrollments.load(enrollmentId);
        if (state.status === 'none') throw new NotFoundError('ENROLLMENT.NOT_FOUND', 'no such enrollment');
        assertMayAccess(actor, state);
        assertEnrollmentFitsSession({ referentialId, version }, state);
        const outcome = await this.enrollments.run(enrollmentId, actor, (now) => ({
          type: 'ScheduleSitting',
          data: { sittingId, epreuveCode, scheduledAt, assessorIds, by, now },
        }));
        if (outcome.position) position = outcome.position;
        candidates.push({ enrollmentId, status: 'scheduled', sittingId });
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        candidates.push({ enrollmentId, status: 'refused', refusal: { code: error.code, message: error.message } });
      }
    }
    return {
      id: sessionId,
      streamId: planned.streamId,
      position,
      candidates,
    };
  }
}
