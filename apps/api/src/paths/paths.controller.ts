import { Controller, Get, Header, Param, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiExtraModels, ApiOkResponse, ApiOperation, ApiProduces, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AuthenticatedActor, CurrentActor, Roles } from '../auth/auth.decorators';
import { ApiProblemResponses, Problems } from '../shared/api-responses';
import { WithheldValue } from '../shared/withheld.responses.dto';
import { toCsv } from './csv';
import { AsOfQuery, CohortStatisticsQuery, ConsistencyQuery, FindingsQuery, ListEnrollmentsQuery } from './path-queries.requests.dto';
import {
  CohortStatisticsView,
  EnrollmentListPage,
  PATH_EXTRA_MODELS,
  PathAsOfView,
  PathView,
  ProvenanceView,
  UnappliedAccommodationFinding,
} from './path-queries.responses.dto';
import { GetBlocProvenance } from './get-bloc-provenance/get-bloc-provenance.query';
import { GetCohortStatistics } from './get-cohort-statistics/get-cohort-statistics.query';
import { GetPathAsOf } from './get-path-as-of/get-path-as-of.query';
import { GetPath } from './get-path/get-path.query';
import { ListEnrollments } from './list-enrollments/list-enrollments.query';
import { ListUnappliedAccommodationFindings } from './list-unapplied-accommodation-findings/list-unapplied-accommodation-findings.query';
import { ReadConsistency } from './read-consistency.service';
import { UuidParam } from '../shared/uuid-param';

/**
 * The questions users ask (DOMAIN.md, "Who uses it"), answered from the read models: each route
 * turns the request into its query (one folder per question: the query and its handler) on the query bus.
 */
@ApiTags('enrollments: questions')
@ApiBearerAuth()
@ApiExtraModels(...PATH_EXTRA_MODELS, WithheldValue, EnrollmentListPage)
@Controller()
export class PathsController {
  constructor(
    private readonly queries: QueryBus,
    private readonly consistency: ReadConsistency,
  ) {}

  @Get('enrollments')
  @Roles('admin', 'jury', 'referent', 'assessor', 'auditor', 'candidate')
  @ApiOperation({
    summary:
      'Enrollments (a candidate: their own; an assessor: those with a sitting assigned to them) filtered by certification, version, cohort, status, bloc and bloc status, ready for the jury (status=eligible), no progress since a date; sorted, paginated, counted; format=csv for a spreadsheet (every matching enrollment unless page or pageSize is given)',
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({
    description: 'A page of enrollments; with format=csv, a spreadsheet (every matching enrollment unless page or pageSize is given)',
    content: { 'application/json': { schema: { $ref: getSchemaPath(EnrollmentListPage) } }, 'text/csv': { schema: { type: 'string' } } },
    headers: { 'X-Total-Count': { description: 'With format=csv: how many enrollments match', schema: { type: 'integer' } } },
  })
  @ApiProblemResponses(Problems.invalidQuery, 401, 403, 429, Problems.readModelsNotThere)
  async list(@Query() query: ListEnrollmentsQuery, @CurrentActor() actor: AuthenticatedActor, @Res({ passthrough: true }) response: FastifyReply) {
    await this.consistency.await(query.consistentWith);
    // A spreadsheet takes the whole list; a page only when one is asked for.
    const wholeList = query.format === 'csv' && query.page === undefined && query.pageSize === undefined;
    const result = await this.queries.execute(new ListEnrollments(query, actor, wholeList));
    if (query.format !== 'csv') return result;
    response.type('text/csv; charset=utf-8').header('Content-Disposition', 'attachment; filename="enrollments.csv"');
    response.header('X-Total-Count', String(result.total));
    return toCsv(
      [
        'enrollmentId',
        'candidateId',
        'organisationId',
        'referentialId',
        'version',
        'cohort',
        'accessRoute',
        'status',
        'optionBlocs',
        'validatedBlocs',
        'missingBlocs',
        'enrolledAt',
        'lastProgressAt',
      ],
      result.items.map((i) => [
        i.enrollmentId,
        i.candidateId,
        i.organisationId,
        i.referentialId,
        i.version,
        i.cohort,
        i.accessRoute,
        i.status,
        i.optionBlocs,
        i.blocs.filter((b) => b.status === 'validated').map((b) => b.code),
        i.missingBlocs,
        i.enrolledAt,
        i.lastProgressAt,
      ]),
    );
  }

  @Get('enrollments/:enrollmentId')
  @Roles('admin', 'jury', 'referent', 'assessor', 'auditor', 'candidate')
  @ApiOperation({
    summary:
      'A candidate’s path: status, every bloc and competency with the assessments bearing on it, sittings and attempts with effective durations, extra requirements, what is missing',
  })
  @ApiOkResponse({ type: PathView, description: 'The path as this reader may see it' })
  @ApiProblemResponses(
    Problems.invalidId,
    Problems.invalidQuery,
    401,
    403,
    { status: 404, description: 'ENROLLMENT.NOT_FOUND: no such enrollment, or not visible to the caller' },
    429,
    Problems.readModelsNotThere,
    Problems.readNotRecorded,
  )
  async path(@UuidParam('enrollmentId') id: string, @Query() query: ConsistencyQuery, @CurrentActor() actor: AuthenticatedActor) {
    await this.consistency.await(query.consistentWith);
    return this.queries.execute(new GetPath(id, actor));
  }

  @Get('enrollments/:enrollmentId/as-of')
  @Roles('admin', 'jury', 'auditor')
  @ApiOperation({ summary: 'The path as it stood at a past instant (the log replayed up to it)' })
  @ApiOkResponse({ type: PathAsOfView })
  @ApiProblemResponses(
    Problems.invalidId,
    Problems.invalidQuery,
    401,
    403,
    {
      status: 404,
      description: 'ENROLLMENT.NOT_FOUND: no such enrollment, or not visible to the caller; ENROLLMENT.NOT_YET: it did not exist yet at that instant',
    },
    429,
    Problems.readModelsNotThere,
    Problems.readNotRecorded,
  )
  async asOf(@UuidParam('enrollmentId') id: string, @Query() query: AsOfQuery, @CurrentActor() actor: AuthenticatedActor) {
    await this.consistency.await(query.consistentWith);
    return this.queries.execute(new GetPathAsOf(id, query.at, actor));
  }

  @Get('enrollments/:enrollmentId/blocs/:blocCode/provenance')
  @Roles('auditor', 'admin', 'jury')
  @ApiOperation({
    summary:
      'How a bloc was granted: référentiel version and rule, every assessment and correction, accommodations granted and applied, the decision and who took it; each item with its event id and position',
  })
  @ApiOkResponse({ type: ProvenanceView })
  @ApiProblemResponses(
    Problems.invalidId,
    401,
    403,
    { status: 404, description: 'ENROLLMENT.NOT_FOUND: no such enrollment, or not visible to the caller; BLOC.UNKNOWN: no such bloc in its version' },
    429,
    Problems.readNotRecorded,
  )
  provenance(@UuidParam('enrollmentId') id: string, @Param('blocCode') blocCode: string, @CurrentActor() actor: AuthenticatedActor) {
    return this.queries.execute(new GetBlocProvenance(id, blocCode, actor));
  }

  @Get('cohorts/statistics')
  @Roles('admin', 'jury', 'auditor')
  @ApiOperation({ summary: 'Per bloc: how many validated, in progress, not started, annulled, and the median days to validation' })
  @ApiOkResponse({ type: CohortStatisticsView })
  @ApiProblemResponses(
    Problems.invalidQuery,
    401,
    403,
    { status: 404, description: 'REFERENTIAL.NOT_FOUND: no such published référentiel version' },
    429,
    Problems.readModelsNotThere,
  )
  async cohortStatistics(@Query() query: CohortStatisticsQuery, @CurrentActor() actor: AuthenticatedActor) {
    await this.consistency.await(query.consistentWith);
    return this.queries.execute(new GetCohortStatistics(query, actor));
  }

  @Get('findings/unapplied-accommodations')
  // The referent granted the measures: a measure not given at a sitting is theirs to follow up.
  @Roles('auditor', 'admin', 'referent')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Accommodations granted but not applied at a sitting (R11): kinds only, never details' })
  @ApiOkResponse({ type: [UnappliedAccommodationFinding] })
  @ApiProblemResponses(Problems.invalidQuery, 401, 403, 429, Problems.readModelsNotThere)
  async findings(@Query() query: FindingsQuery, @CurrentActor() actor: AuthenticatedActor) {
    await this.consistency.await(query.consistentWith);
    return this.queries.execute(new ListUnappliedAccommodationFindings(query, actor));
  }
}
