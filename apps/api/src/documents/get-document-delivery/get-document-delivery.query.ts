import { Query } from '@nestjs/cqrs';
import { AuthenticatedActor } from '../../auth/auth.decorators';

/**
 * The e-mail delivery of documents as the actor may see it: whether it is on, its job counts, what
 * became of the document events, the failed jobs with their errors, the documents not delivered
 * because their holder has no e-mail address; an admin sees those of their organisation's
 * enrollments, an auditor all.
 */
export class GetDocumentDeliveryQuery extends Query<Record<string, unknown>> {
  constructor(readonly actor: AuthenticatedActor) {
    super();
  }
}
