import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { CohortImportJobs, ImportJobView } from '../import-cohort/cohort-import-jobs';
import { GetImportQuery } from './get-import.query';

@QueryHandler(GetImportQuery)
export class GetImportHandler implements IQueryHandler<GetImportQuery, ImportJobView> {
  constructor(private readonly jobs: CohortImportJobs) {}

  execute({ importId, actor }: GetImportQuery): Promise<ImportJobView> {
    return this.jobs.get(importId, actor);
  }
}
