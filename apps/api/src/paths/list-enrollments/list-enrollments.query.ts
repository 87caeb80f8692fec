import { Query } from '@nestjs/cqrs';
import { EnrollmentListItem } from '@jalon/read-models';
import { AuthenticatedActor } from '../../auth/auth.decorators';
import { ListEnrollmentsQuery } from '../path-queries.requests.dto';

/** A page of the list (page and pageSize), or the whole of it (the CSV export). */
export interface EnrollmentList {
  readonly total: number;
  readonly page?: number;
  readonly pageSize?: number;
  readonly items: EnrollmentListItem[];
}

/** The enrollments a reader may see that the filters match, in the order asked; `whole`: every one, page after page. */
export class ListEnrollments extends Query<EnrollmentList> {
  constructor(
    readonly filters: ListEnrollmentsQuery,
    readonly actor: AuthenticatedActor,
    readonly whole = false,
  ) {
    super();
  }
}
