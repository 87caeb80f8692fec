import { Command } from '@nestjs/cqrs';
import { AuthenticatedActor } from '../../auth/auth.decorators';
import { SessionScheduledView } from '../sessions.responses.dto';

/** A session d'examen to schedule: one épreuve of one version, for these enrollments, at a place and time, with its assessors. */
export class ScheduleSessionCommand extends Command<SessionScheduledView> {
  constructor(
    readonly actor: AuthenticatedActor,
    readonly referentialId: string,
    readonly version: string,
    readonly epreuveCode: string,
    readonly place: string,
    readonly scheduledAt: string,
    readonly assessorIds: readonly string[],
    readonly enrollmentIds: readonly string[],
  ) {
    super();
  }
}
