import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandOutcome } from '../../shared/command-outcome';
import { actorOf } from '../enrollment-act';
import { EnrollmentCommands } from '../enrollment-commands.service';
import { RecordSittingHeldCommand } from './record-sitting-held.command';

@CommandHandler(RecordSittingHeldCommand)
export class RecordSittingHeldHandler implements ICommandHandler<RecordSittingHeldCommand, CommandOutcome> {
  constructor(private readonly enrollments: EnrollmentCommands) {}

  execute({ enrollmentId, actor, sittingId, heldAt, timedParts, accommodationsApplied, mode }: RecordSittingHeldCommand): Promise<CommandOutcome> {
    return this.enrollments.run(enrollmentId, actor, (now) => ({
      type: 'RecordSittingHeld',
      data: { sittingId, heldAt, timedParts, accommodationsApplied, ...(mode ? { mode } : {}), by: actorOf(actor), now },
    }));
  }
}
