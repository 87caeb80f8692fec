import { Body, Controller, Get, HttpCode, Post, Query, Res, StreamableFile, UploadedFile, UseInterceptors } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AuthenticatedActor, CurrentActor, Roles } from '../auth/auth.decorators';
import { ApiCommandResponses, ApiProblemResponses, Problems } from '../shared/api-responses';
import { FileUploadInterceptor, UploadedFileParts } from '../shared/file-upload.interceptor';
import { UuidParam } from '../shared/uuid-param';
import { GetCohortTemplateQuery } from './get-cohort-template/get-cohort-template.query';
import { GetImportQuery } from './get-import/get-import.query';
import { ImportJobView } from './import-cohort/cohort-import-jobs';
import { ImportCohortCommand } from './import-cohort/import-cohort.command';
import { ROWS_ANSWERED_AT_ONCE } from './import-cohort/import-cohort.handler';
import { ImportCohortForm, ImportCohortQuery } from './import-cohort/import-cohort.request.dto';
import { CohortImportView } from './imports.responses.dto';

/** The largest cohort file taken (10,000 rows of the template weigh about 2 MB). */
export const COHORT_FILE_LIMIT_BYTES = 20 * 1024 * 1024;

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Imports over HTTP: each route turns the request into its command or query (one folder per use case). */
@ApiTags('imports')
@ApiBearerAuth()
@Controller('imports')
export class ImportsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post('cohort')
  @HttpCode(200)
  @Roles('admin')
  @UseInterceptors(FileUploadInterceptor('file', COHORT_FILE_LIMIT_BYTES))
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: ImportCohortForm })
  @ApiOperation({
    summary: 'Import a cohort from a spreadsheet (CSV or XLSX, the template’s French headers): one candidate and enrollment per row',
    description:
      `Each row is checked by the very rules of POST /candidates and POST /enrollments (their request classes, then both decisions with the référentiel) before anything is written; a refused row writes nothing and stops no other. ` +
      `Rows are keyed by « N° candidat »: the candidate’s and the enrollment’s ids derive from the organisation and that number, so importing the file again creates nothing new (already-imported) and completes a row left incomplete. ` +
      `dryRun=true checks and reports, writing nothing. Up to ${ROWS_ANSWERED_AT_ONCE} rows the answer is the finished import with its report; beyond, the import runs as a job: the answer says running, and GET /imports/{id} its progress, then its report.`,
  })
  @ApiOkResponse({ type: CohortImportView })
  @ApiCommandResponses({
    status: 400,
    description:
      'IMPORT.FILE_REQUIRED (no `file`), IMPORT.UNSUPPORTED_FORMAT, IMPORT.UNREADABLE_FILE, IMPORT.INVALID_COLUMNS (`columns`: each header unknown, doubled or missing): nothing is imported',
  })
  importCohort(
    @UploadedFile() file: UploadedFileParts | undefined,
    @Body() _form: ImportCohortForm,
    @Query() query: ImportCohortQuery,
    @CurrentActor() actor: AuthenticatedActor,
  ): Promise<ImportJobView> {
    return this.commands.execute(new ImportCohortCommand(actor, file && { name: file.originalname, bytes: file.buffer }, query.dryRun ?? false));
  }

  @Get('cohort/template.csv')
  @Roles('admin')
  @ApiProduces('text/csv')
  @ApiOperation({ summary: 'The cohort file’s template as CSV: the headers, `;`-separated, UTF-8 with a BOM' })
  @ApiOkResponse({ description: 'The template', content: { 'text/csv': { schema: { type: 'string' } } } })
  @ApiProblemResponses(401, 403, 429)
  async templateCsv(@Res({ passthrough: true }) response: FastifyReply): Promise<StreamableFile> {
    response.type('text/csv; charset=utf-8').header('Content-Disposition', 'attachment; filename="modele-promotion.csv"');
    return new StreamableFile(await this.queries.execute(new GetCohortTemplateQuery('csv')));
  }

  @Get('cohort/template.xlsx')
  @Roles('admin')
  @ApiProduces(XLSX)
  @ApiOperation({ summary: 'The cohort file’s template as XLSX: the headers on the first sheet, each column explained on the second' })
  @ApiOkResponse({ description: 'The template', content: { [XLSX]: { schema: { type: 'string', format: 'binary' } } } })
  @ApiProblemResponses(401, 403, 429)
  async templateXlsx(@Res({ passthrough: true }) response: FastifyReply): Promise<StreamableFile> {
    response.type(XLSX).header('Content-Disposition', 'attachment; filename="modele-promotion.xlsx"');
    return new StreamableFile(await this.queries.execute(new GetCohortTemplateQuery('xlsx')));
  }

  @Get(':importId')
  @Roles('admin')
  @ApiOperation({ summary: 'Where an import of the caller’s organisation stands (rows done, counts); once done, its report' })
  @ApiOkResponse({ type: CohortImportView })
  @ApiProblemResponses(Problems.invalidId, 401, 403, { status: 404, description: 'IMPORT.NOT_FOUND: no such import in the caller’s organisation' }, 429)
  get(@UuidParam('importId') importId: string, @CurrentActor() actor: AuthenticatedActor): Promise<ImportJobView> {
    return this.queries.execute(new GetImportQuery(importId, actor));
  }
}
