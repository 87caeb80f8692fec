import { Query } from '@nestjs/cqrs';
import { AuthenticatedActor } from '../../auth/auth.decorators';

/** How a bloc was granted, for auditors: every fact that bears on it, each with its event id and position. */
export class GetBlocProvenance extends Query<Record<string, unknown>> {
  constructor(
    readonly enrollmentId: string,
    readonly blocCode: string,
    readonly actor: AuthenticatedActor,
  ) {
    super();
  }
}
