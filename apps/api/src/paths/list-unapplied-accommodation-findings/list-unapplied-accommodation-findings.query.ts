import { Query } from '@nestjs/cqrs';
import { AuthenticatedActor } from '../../auth/auth.decorators';
import { FindingsQuery } from '../path-queries.requests.dto';
import { UnappliedAccommodationFinding } from '../path-queries.responses.dto';

/** R11's findings: each sitting held without an accommodation granted for it, oldest first (kinds never, ids only). */
export class ListUnappliedAccommodationFindings extends Query<UnappliedAccommodationFinding[]> {
  constructor(
    readonly filters: FindingsQuery,
    readonly actor: AuthenticatedActor,
  ) {
    super();
  }
}
