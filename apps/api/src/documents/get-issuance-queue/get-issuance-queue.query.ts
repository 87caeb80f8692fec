import { Query } from '@nestjs/cqrs';
import { AuthenticatedActor } from '../../auth/auth.decorators';

/**
 * The issuance queue as the actor may see it: counts, the failed jobs with their errors, the
 * decisions whose document will never be issued (their holder's personal data erased first); an
 * admin sees those of their organisation's enrollments, an auditor all.
 */
export class GetIssuanceQueueQuery extends Query<Record<string, unknown>> {
  constructor(readonly actor: AuthenticatedActor) {
    super();
  }
}
