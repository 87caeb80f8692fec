import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandOutcome } from '../../shared/command-outcome';
import { actorOf } from '../enrollment-act';
import { EnrollmentCommands } from '../enrollment-commands.service';
import { EndAccommodationCommand } from './end-accommodation.command';

@CommandHandler(EndAccommodationCommand)
export class EndAccommodationHandler implements ICommandHandler<EndAccommodationCommand, CommandOutcome> {
  constructor(private readonly enrollments: EnrollmentCommands) {}

  execute({ enrollmentId, actor, accommodationId, reason }: EndAccommodationCommand): Promise<CommandOutcome> {
    return this.enrollments.run(enrollmentId, actor, (now) => ({ type: 'EndAccommodation', data: { accommodationId, reason, by: actorOf(actor), now } }));
  }
}
