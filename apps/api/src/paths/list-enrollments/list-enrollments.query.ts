import { Query } from '@nestjs/cqrs';
import { AuthenticatedActor } from '../../auth/auth.decorators';
import { ListEnrollmentsQuery } from '../path-queries.requests.dto';

export interface EnrollmentListItem {
  enrollmentId: string;
  candidateId: string;
  organisationId: string;
  referentialId: string;
  version: string;
  cohort: string;
  accessRoute: string;
  status: string;
  optionBlocs: string[];
  blocs: { code: string; status: string; required: boolean }[];
  missingBlocs: string[];
  enrolledAt: string;
  lastProgressAt: string;
}

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
