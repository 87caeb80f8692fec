import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { newId } from '@jalon/event-store';
import { CreatedOutcome } from '../../shared/command-outcome';
import { actorOf } from '../enrollment-act';
import { EnrollmentCommands } from '../enrollment-commands.service';
import { ScheduleSittingCommand } from './schedule-sitting.command';

@CommandHandler(ScheduleSittingCommand)
export class ScheduleSittingHandler implements ICommandHandler<ScheduleSittingCommand, CreatedOutcome> {
  constructor(private readonly enrollments: EnrollmentCommands) {}

  execute({ enrollmentId, actor, epreuveCode, scheduledAt, assessorIds }: ScheduleSittingCommand): Promise<CreatedOutcome> {
    const id = newId('sitting');
    return this.enrollments.created(enrollmentId, id, actor, (now) => ({
      type: 'ScheduleSitting',
      data: { sittingId: id, epreuveCode, scheduledAt, assessorIds, by: actorOf(actor), now },
    }));
  }
}
