import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandOutcome } from '../../shared/command-outcome';
import { actorOf } from '../enrollment-act';
import { EnrollmentCommands } from '../enrollment-commands.service';
import { ValidateBlocCommand } from './validate-bloc.command';

@CommandHandler(ValidateBlocCommand)
export class ValidateBlocHandler implements ICommandHandler<ValidateBlocCommand, CommandOutcome> {
  constructor(private readonly enrollments: EnrollmentCommands) {}

  execute({ enrollmentId, actor, blocCode }: ValidateBlocCommand): Promise<CommandOutcome> {
    return this.enrollments.run(enrollmentId, actor, (now) => ({ type: 'ValidateBloc', data: { blocCode, by: actorOf(actor), now } }));
  }
}
