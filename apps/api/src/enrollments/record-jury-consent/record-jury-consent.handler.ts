import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandOutcome } from '../../shared/command-outcome';
import { actorOf } from '../enrollment-act';
import { EnrollmentCommands } from '../enrollment-commands.service';
import { RecordJuryConsentCommand } from './record-jury-consent.command';

@CommandHandler(RecordJuryConsentCommand)
export class RecordJuryConsentHandler implements ICommandHandler<RecordJuryConsentCommand, CommandOutcome> {
  constructor(private readonly enrollments: EnrollmentCommands) {}

  execute({ enrollmentId, actor, note }: RecordJuryConsentCommand): Promise<CommandOutcome> {
    return this.enrollments.run(enrollmentId, actor, (now) => ({
      type: 'RecordJuryDisclosureConsent',
      data: { ...(note !== undefined ? { note } : {}), by: actorOf(actor), now },
    }));
  }
}
