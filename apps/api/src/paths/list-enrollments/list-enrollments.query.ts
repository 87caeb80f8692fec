import { Query } from '@nestjs/cqrs';
import { EnrollmentPage } from '@jalon/read-models';
import { AuthenticatedActor } from '../../auth/auth.decorators';
import { ListEnrollmentsQuery } from '../path-queries.requests.dto';

/** A page of the list, or the whole of it (the CSV export: no page, no page size). */
export type EnrollmentList = Omit<EnrollmentPage, 'page' | 'pageSize'> & Partial<Pick<EnrollmentPage, 'page' | 'pageSize'>>;

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
