import { Command } from '@nestjs/cqrs';
import { IdentityChanges } from '@jalon/domain';
import { AuthenticatedActor } from '../../auth/auth.decorators';
import { CommandOutcome } from '../../shared/command-outcome';

/** Complete or correct a candidate's identity (e.g. the birth place codes the accrochage declares). */
export class AmendCandidateIdentityCommand extends Command<CommandOutcome> {
  constructor(
    readonly candidateId: string,
    readonly changes: IdentityChanges,
    readonly actor: AuthenticatedActor,
  ) {
    super();
  }
}
