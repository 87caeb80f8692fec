import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { newId } from '@jalon/event-store';
import { CreatedOutcome } from '../../shared/command-outcome';
import { actorOf } from '../enrollment-act';
import { EnrollmentCommands } from '../enrollment-commands.service';
import { GrantAccommodationCommand } from './grant-accommodation.command';

@CommandHandler(GrantAccommodationCommand)
export class GrantAccommodationHandler implements ICommandHandler<GrantAccommodationCommand, CreatedOutcome> {
  constructor(private readonly enrollments: EnrollmentCommands) {}

  execute({ enrollmentId, actor, terms }: GrantAccommodationCommand): Promise<CreatedOutcome> {
    const id = newId('accommodation');
    return this.enrollments.created(enrollmentId, id, actor, (now) => ({
      type: 'GrantAccommodation',
      data: { accommodationId: id, terms, by: actorOf(actor), now },
    }));
  }
}
