import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandOutcome } from '../../shared/command-outcome';
import { actorOf } from '../enrollment-act';
import { EnrollmentCommands } from '../enrollment-commands.service';
import { AnnulBlocCommand } from './annul-bloc.command';

@CommandHandler(AnnulBlocCommand)
export class AnnulBlocHandler implements ICommandHandler<AnnulBlocCommand, CommandOutcome> {
  constructor(private readonly enrollments: EnrollmentCommands) {}

  execute({ enrollmentId, actor, blocCode, reason, details }: AnnulBlocCommand): Promise<CommandOutcome> {
    return this.enrollments.run(enrollmentId, actor, (now) => ({ type: 'AnnulBloc', data: { blocCode, reason, details, by: actorOf(actor), now } }));
  }
}
