import { Query } from '@nestjs/cqrs';

/** The cohort file's template, headers only (the XLSX explains each column on a second sheet). */
export class GetCohortTemplateQuery extends Query<Buffer> {
  constructor(readonly format: 'csv' | 'xlsx') {
    super();
  }
}
