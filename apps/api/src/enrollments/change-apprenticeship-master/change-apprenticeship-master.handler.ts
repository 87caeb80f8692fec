import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandOutcome } from '../../shared/command-outcome';
import { actorOf } from '../enrollment-act';
import { EnrollmentCommands } from '../enrollment-commands.service';
import { ChangeApprenticeshipMasterCommand } from './change-apprenticeship-master.command';

@CommandHandler(ChangeApprenticeshipMasterCommand)
export class ChangeApprenticeshipMasterHandler implements ICommandHandler<ChangeApprenticeshipMasterCommand, CommandOutcome> {
  constructor(private readonly enrollments: EnrollmentCommands) {}

  execute({ enrollmentId, actor, masterId, company, reason }: ChangeApprenticeshipMasterCommand): Promise<CommandOutcome> {
    return this.enrollments.run(enrollmentId, actor, (now) => ({
      type: 'ChangeApprenticeshipMaster',
      data: { apprenticeship: { masterId, company }, reason, by: actorOf(actor), now },
    }));
  }
}
