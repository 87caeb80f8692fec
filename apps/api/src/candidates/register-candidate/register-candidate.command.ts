import { Command } from '@nestjs/cqrs';
import { CandidateIdentity } from '@jalon/domain';
import { RecordedEvent } from '@jalon/event-store';
import { AuthenticatedActor } from '../../auth/auth.decorators';
import { CreatedOutcome } from '../../shared/command-outcome';

/** Register a candidate of the caller's organisation with their identity (sealed with the candidate's key). */
export class RegisterCandidateCommand extends Command<CreatedOutcome> {
  constructor(
    readonly actor: AuthenticatedActor,
    readonly identity: CandidateIdentity,
    /** The candidate's stream as the caller read it (a cohort import): decided on at once, read again on a conflict. */
    readonly asRead?: readonly RecordedEvent[],
  ) {
    super();
  }
}
