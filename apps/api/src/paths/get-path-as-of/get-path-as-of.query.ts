import { Query } from '@nestjs/cqrs';
import { AccommodationsView } from '@jalon/domain';
import { PathView } from '@jalon/read-models';
import { AuthenticatedActor } from '../../auth/auth.decorators';

export type PathAsOfAnswer = PathView & { accommodations: AccommodationsView; asOf: string; position: string | null };

/** The path as it stood at an instant: the log replayed up to what was recorded by then. */
export class GetPathAsOf extends Query<PathAsOfAnswer> {
  constructor(
    readonly enrollmentId: string,
    readonly at: string,
    readonly actor: AuthenticatedActor,
  ) {
    super();
  }
}
