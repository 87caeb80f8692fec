import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandOutcome } from '../../shared/command-outcome';
import { actorOf } from '../enrollment-act';
import { EnrollmentCommands } from '../enrollment-commands.service';
import { AmendAccommodationCommand } from './amend-accommodation.command';

@CommandHandler(AmendAccommodationCommand)
export class AmendAccommodationHandler implements ICommandHandler<AmendAccommodationCommand, CommandOutcome> {
  constructor(private readonly enrollments: EnrollmentCommands) {}

  execute({ enrollmentId, actor, accommodationId, terms, reason }: AmendAccommodationCommand): Promise<CommandOutcome> {
    return this.enrollments.run(enrollmentId, actor, (now) => ({
      type: 'AmendAccommodation',
      data: { accommodationId, terms, reason, by: actorOf(actor), now },
    }));
  }
}
