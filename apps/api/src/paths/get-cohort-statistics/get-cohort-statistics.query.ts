import { Query } from '@nestjs/cqrs';
import { AuthenticatedActor } from '../../auth/auth.decorators';
import { CohortStatisticsQuery } from '../path-queries.requests.dto';
import { CohortStatisticsView } from '../path-queries.responses.dto';

/**
 * Per bloc: validated, in progress, not started, annulled, among the cohort's paths on this
 * version; a path transferred to another version counts there, not here. A candidate who withdrew
 * keeps the blocs validated (acquired for good); the others count as `withdrawn`, not as work going on.
 */
export class GetCohortStatistics extends Query<CohortStatisticsView> {
  constructor(
    readonly filters: CohortStatisticsQuery,
    readonly actor: AuthenticatedActor,
  ) {
    super();
  }
}
