import { Command } from '@nestjs/cqrs';
import { SittingMode } from '@jalon/domain';
import { AuthenticatedActor } from '../../auth/auth.decorators';
import { SessionHeldView } from '../sessions.responses.dto';

/** What the session's record says of one candidate: absent, or held (as scheduled unless said otherwise). */
export interface CandidateHeld {
  readonly enrollmentId: string;
  readonly absent: boolean;
  readonly timedParts?: readonly { readonly code: string; readonly actualDurationMinutes: number }[];
  readonly accommodationsApplied?: readonly string[];
  readonly mode?: SittingMode;
}

export class RecordSessionHeldCommand extends Command<SessionHeldView> {
  constructor(
    readonly sessionId: string,
    readonly actor: AuthenticatedActor,
    readonly heldAt: string,
    readonly candidates: readonly CandidateHeld[],
  ) {
    super();
  }
}
