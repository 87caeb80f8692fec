import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { NotFoundError, ValidationError } from '@jalon/domain';
import { cohortStatistics } from '@jalon/read-models';
import { ReferentialResolver } from '@jalon/runtime';
import { CohortStatisticsView } from '../path-queries.responses.dto';
import { PathReads } from '../path-reads.service';
import { GetCohortStatistics } from './get-cohort-statistics.query';

@QueryHandler(GetCohortStatistics)
export class GetCohortStatisticsHandler implements IQueryHandler<GetCohortStatistics, CohortStatisticsView> {
  constructor(
    private readonly paths: PathReads,
    private readonly referentials: ReferentialResolver,
  ) {}

  async execute({ filters: query, actor }: GetCohortStatistics): Promise<CohortStatisticsView> {
    // Statistics of a référentiel version that was never published would be an empty table taken for
    // "no candidates yet": the version is looked up first, answered as GET /referentials/{id}/versions/{v} does.
    await this.referentials.resolve(query.referentialId, query.version).catch((error: unknown) => {
      if (error instanceof ValidationError && error.code === 'REFERENTIAL.NOT_PUBLISHED')
        throw new NotFoundError('REFERENTIAL.NOT_FOUND', `no published référentiel ${query.referentialId}@${query.version}`);
      throw error;
    });
    return cohortStatistics(this.paths.db, query, actor);
  }
}
