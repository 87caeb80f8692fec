import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandOutcome } from '../../shared/command-outcome';
import { actorOf } from '../enrollment-act';
import { EnrollmentCommands } from '../enrollment-commands.service';
import { ChooseOptionCommand } from './choose-option.command';

@CommandHandler(ChooseOptionCommand)
export class ChooseOptionHandler implements ICommandHandler<ChooseOptionCommand, CommandOutcome> {
  constructor(private readonly enrollments: EnrollmentCommands) {}

  execute({ enrollmentId, actor, optionBlocs }: ChooseOptionCommand): Promise<CommandOutcome> {
    return this.enrollments.run(enrollmentId, actor, (now) => ({ type: 'ChooseOption', data: { optionBlocs, by: actorOf(actor), now } }));
  }
}
