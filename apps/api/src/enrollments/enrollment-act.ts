import { Command } from '@nestjs/cqrs';
import { Actor } from '@jalon/domain';
import { AuthenticatedActor } from '../auth/auth.decorators';
import { CommandOutcome } from '../shared/command-outcome';

/**
 * An act on one enrollment by the signed-in caller, as the controller hands it to the command bus:
 * plain values, no HTTP. Its handler (in the same use-case folder) builds the domain command.
 */
export abstract class EnrollmentAct<R = CommandOutcome> extends Command<R> {
  constructor(
    readonly enrollmentId: string,
    readonly actor: AuthenticatedActor,
  ) {
    super();
  }
}

/** Who decided, as the domain's events record it. */
export const actorOf = (actor: AuthenticatedActor): Actor => ({ id: actor.id, role: actor.role });
