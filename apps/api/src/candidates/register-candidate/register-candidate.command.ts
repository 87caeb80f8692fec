import { Command } from '@nestjs/cqrs';
import { CandidateIdentity } from '@jalon/domain';
import { AuthenticatedActor } from '../../auth/auth.decorators';
import { CreatedOutcome } from '../../shared/command-outcome';

/** Register a candidate of the caller's organisation with their identity (sealed with the candidate's key). */
export class RegisterCandidateCommand extends Command<CreatedOutcome> {
  constructor(
    readonly actor: AuthenticatedActor,
    readonly identity: CandidateIdentity,
  ) {
    super();
  }
}
