import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { cohortTemplateCsv, cohortTemplateXlsx } from '../cohort-sheet/cohort-template';
import { GetCohortTemplateQuery } from './get-cohort-template.query';

@QueryHandler(GetCohortTemplateQuery)
export class GetCohortTemplateHandler implements IQueryHandler<GetCohortTemplateQuery, Buffer> {
  async execute({ format }: GetCohortTemplateQuery): Promise<Buffer> {
    return format === 'csv' ? cohortTemplateCsv() : cohortTemplateXlsx();
  }
}
