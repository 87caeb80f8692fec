import { Query } from '@nestjs/cqrs';
import { AccommodationsView } from '@jalon/domain';
import { PathView } from '@jalon/read-models';
import { AuthenticatedActor } from '../../auth/auth.decorators';

export type PathAnswer = PathView & { accommodations: AccommodationsView; personalDataErasedAt?: string };

/** A candidate's path as this reader may see it, with what they may know of the accommodations (R14: accommodationsAsSeenBy). */
export class GetPath extends Query<PathAnswer> {
  constructor(
    readonly enrollmentId: string,
    readonly actor: AuthenticatedActor,
  ) {
    super();
  }
}
