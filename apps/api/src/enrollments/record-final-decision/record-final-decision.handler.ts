import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandOutcome } from '../../shared/command-outcome';
import { actorOf } from '../enrollment-act';
import { EnrollmentCommands } from '../enrollment-commands.service';
import { RecordFinalDecisionCommand } from './record-final-decision.command';

@CommandHandler(RecordFinalDecisionCommand)
export class RecordFinalDecisionHandler implements ICommandHandler<RecordFinalDecisionCommand, CommandOutcome> {
  constructor(private readonly enrollments: EnrollmentCommands) {}

  execute({ enrollmentId, actor, decision, place, reason }: RecordFinalDecisionCommand): Promise<CommandOutcome> {
    return this.enrollments.run(enrollmentId, actor, (now) => ({
      type: 'RecordFinalJuryDecision',
      data: { decision, place, ...(reason ? { reason } : {}), by: actorOf(actor), now },
    }));
  }
}
