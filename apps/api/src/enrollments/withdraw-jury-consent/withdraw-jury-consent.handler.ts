import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandOutcome } from '../../shared/command-outcome';
import { actorOf } from '../enrollment-act';
import { EnrollmentCommands } from '../enrollment-commands.service';
import { WithdrawJuryConsentCommand } from './withdraw-jury-consent.command';

@CommandHandler(WithdrawJuryConsentCommand)
export class WithdrawJuryConsentHandler implements ICommandHandler<WithdrawJuryConsentCommand, CommandOutcome> {
  constructor(private readonly enrollments: EnrollmentCommands) {}

  execute({ enrollmentId, actor, note }: WithdrawJuryConsentCommand): Promise<CommandOutcome> {
    return this.enrollments.run(enrollmentId, actor, (now) => ({
      type: 'WithdrawJuryDisclosureConsent',
      data: { ...(note !== undefined ? { note } : {}), by: actorOf(actor), now },
    }));
  }
}
