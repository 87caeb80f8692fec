import { Command } from '@nestjs/cqrs';
import { AuthenticatedActor } from '../../auth/auth.decorators';

/**
 * An admin's decision to e-mail a document event again whose e-mail is unconfirmed (handed to the
 * mail server by a worker that died before its answer): they checked with the holder, or chose to
 * risk a second copy. It goes under the same Message-ID.
 */
export class ResendDocumentEmailCommand extends Command<{ eventId: string; enrollmentId: string }> {
  constructor(
    readonly eventId: string,
    readonly actor: AuthenticatedActor,
  ) {
    super();
  }
}
