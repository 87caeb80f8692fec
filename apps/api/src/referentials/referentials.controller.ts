import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { loadReferentialText } from '@jalon/catalogue';
import { ValidationError } from '@jalon/domain';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AuthenticatedActor, CurrentActor, Public, Roles } from '../auth/auth.decorators';
import { ApiCommandResponses, ApiProblemResponses, Problems } from '../shared/api-responses';
import { ConsistencyQuery } from '../paths/path-queries.requests.dto';
import { ReadConsistency } from '../paths/read-consistency.service';
import { CommandOutcome } from '../shared/command-outcome';
import { ImportReferentialRequest } from './publish-referential/import-referential.request.dto';
import { PublishReferentialCommand } from './publish-referential/publish-referential.command';
import { GetReferentialQuery, PublishedReferentialVersion } from './get-referential/get-referential.query';
import { ListReferentialsQuery } from './list-referentials/list-referentials.query';
import { ReferentialSummaryDto } from './list-referentials/referential-summary.response.dto';
import { PublishReferentialOutcome, ReferentialView } from './referentials.responses.dto';
import { WithdrawReferentialVersionCommand } from './withdraw-referential-version/withdraw-referential-version.command';
import { WithdrawReferentialVersionRequest } from './withdraw-referential-version/withdraw-referential-version.request.dto';

@ApiTags('référentiels')
@Controller('referentials')
export class ReferentialsController {
  constructor(
    private readonly queries: QueryBus,
    private readonly commands: CommandBus,
    private readonly consistency: ReadConsistency,
  ) {}

  @Post()
  @Roles('admin')
  @ApiBearerAuth()
  @ApiOperation({
    summary:
      'Import and publish a référentiel version (YAML); every problem is listed with its path and code. Publishing the same content again changes nothing. The answer says whether its documents can carry every mandatory mention (R15) the référentiel must state, and which are missing.',
  })
  @ApiResponse({ status: 201, type: PublishReferentialOutcome })
  @ApiCommandResponses(
    { status: 400, description: 'REFERENTIAL.INVALID with `problems`: [{ path, code, message, line, column }] (line and column of the file, where known)' },
    { status: 409, description: 'REFERENTIAL.VERSION_CONTENT_CHANGED: that version is published with other content' },
  )
  async import(@Body() body: ImportReferentialRequest, @CurrentActor() actor: AuthenticatedActor): Promise<PublishReferentialOutcome> {
    const loaded = loadReferentialText(body.content, 'content');
    if (!loaded.ok) {
      throw new ValidationError('REFERENTIAL.INVALID', `the référentiel has ${loaded.problems.length} problem(s)`, {
        problems: loaded.problems.map(({ path, code, message, line, column }) => ({ path, code, message, ...(line !== undefined ? { line, column } : {}) })),
      });
    }
    return this.commands.execute(new PublishReferentialCommand(loaded.referential, loaded.contentHash, { id: actor.id, role: actor.role }));
  }

  @Get()
  @Public()
  @ApiOperation({ summary: 'The catalogue: every shipped référentiel version with its blocs, option groups and extra requirements' })
  @ApiOkResponse({ type: [ReferentialSummaryDto] })
  @ApiProblemResponses(Problems.invalidQuery, 429, Problems.readModelsNotThere)
  async list(@Query() query: ConsistencyQuery): Promise<ReferentialSummaryDto[]> {
    // After an import, the next read asks for its position: the version just published is listed.
    await this.consistency.await(query.consistentWith);
    return this.queries.execute(new ListReferentialsQuery());
  }

  @Get(':referential/versions/:version')
  @Public()
  @ApiOperation({ summary: 'One référentiel version in full: blocs, competencies, criteria, épreuves' })
  @ApiOkResponse({
    type: ReferentialView,
    description:
      'The référentiel as its file states it (see referentials/schema/referential.schema.json); a statement an erratum of the catalogue marks as assumed (referentials/errata.yaml) is under `certification.assumed`, as the file would now write it',
  })
  @ApiProblemResponses({ status: 404, description: 'REFERENTIAL.NOT_FOUND: no such référentiel version in the catalogue' }, 429)
  get(@Param('referential') referential: string, @Param('version') version: string): Promise<PublishedReferentialVersion> {
    return this.queries.execute(new GetReferentialQuery(referential, version));
  }

  @Post(':referential/versions/:version/withdrawal')
  @HttpCode(200)
  @Roles('admin')
  @ApiBearerAuth()
  @ApiOperation({
    summary:
      'Withdraw a published version from new enrollments, saying why: enrolling or transferring onto it is refused from now on (ENROLLMENT.VERSION_WITHDRAWN); the enrollments already pinned to it go on untouched. The catalogue lists it as withdrawn.',
  })
  @ApiResponse({ status: 200, type: CommandOutcome, description: 'Where the référentiel’s stream and the global log stand after the command' })
  @ApiCommandResponses(
    { status: 400, description: 'REQUEST.INVALID (field `reason`): the reason is missing, blank or longer than 500 characters' },
    { status: 403, description: 'REFERENTIAL.NOT_ADMIN: only an admin withdraws a version' },
    { status: 404, description: 'REFERENTIAL.NOT_FOUND: no such référentiel version published' },
    { status: 409, description: 'REFERENTIAL.VERSION_ALREADY_WITHDRAWN: the version was withdrawn already (`withdrawnAt` says when)' },
  )
  withdraw(
    @Param('referential') referential: string,
    @Param('version') version: string,
    @Body() body: WithdrawReferentialVersionRequest,
    @CurrentActor() actor: AuthenticatedActor,
  ): Promise<CommandOutcome> {
    return this.commands.execute(new WithdrawReferentialVersionCommand(referential, version, body.reason, { id: actor.id, role: actor.role }));
  }
}
