import { Module } from '@nestjs/common';
import { EventSourcingModule } from '@jalon/runtime';
import { CohortImportJobs } from './import-cohort/cohort-import-jobs';
import { CohortImports } from './import-cohort/cohort-import.service';
import { ImportCohortHandler } from './import-cohort/import-cohort.handler';
import { GetCohortTemplateHandler } from './get-cohort-template/get-cohort-template.handler';
import { GetImportHandler } from './get-import/get-import.handler';
import { ImportsController } from './imports.controller';

/** Imports of many acts at once: a cohort from a spreadsheet (its template, the import, where a job stands); one folder per use case. */
@Module({
  imports: [EventSourcingModule],
  controllers: [ImportsController],
  providers: [CohortImports, CohortImportJobs, ImportCohortHandler, GetImportHandler, GetCohortTemplateHandler],
})
export class ImportsModule {}
