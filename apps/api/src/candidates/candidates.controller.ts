import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiExtraModels, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { AuthenticatedActor, CurrentActor, Roles } from '../auth/auth.decorators';
import { NoFieldsRequest } from '../shared/no-fields-request.dto';
import { ApiCommandResponses, ApiProblemResponses, Problems } from '../shared/api-responses';
import { CreatedOutcome } from '../shared/command-outcome';
import { WithheldValue } from '../shared/withheld.responses.dto';
import { CandidateIdentityView, CandidateView, PersonalDataReadView } from './candidates.responses.dto';
import { ErasePersonalDataCommand } from './erase-personal-data/erase-personal-data.command';
import { ErasureOutcome } from './erase-personal-data/erasure-outcome.response.dto';
import { GetCandidateQuery } from './get-candidate/get-candidate.query';
import { ListPersonalDataReadsQuery } from './list-personal-data-reads/list-personal-data-reads.query';
import { RegisterCandidateCommand } from './register-candidate/register-candidate.command';
import { identityFieldsOf, RegisterCandidateRequest } from './register-candidate/register-candidate.request.dto';
import { AmendCandidateIdentityCommand } from './amend-candidate-identity/amend-candidate-identity.command';
import { AmendCandidateIdentityRequest } from './amend-candidate-identity/amend-candidate-identity.request.dto';
import { CommandOutcome } from '../shared/command-outcome';
import { CandidateIdentity } from '@jalon/domain';
import { UuidParam } from '../shared/uuid-param';

/** Candidates over HTTP: each route turns the request into its command or query (one folder per use case). */
@ApiTags('candidates')
@ApiBearerAuth()
@ApiExtraModels(CandidateIdentityView, WithheldValue)
@Controller('candidates')
export class CandidatesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @Roles('admin')
  @ApiOperation({
    summary: 'Register a candidate: birth name, usage name, first names, birth date, sex, birth place (and its codes for the accrochage), email',
  })
  @ApiResponse({ status: 201, type: CreatedOutcome })
  @ApiCommandResponses({ status: 400, description: 'CANDIDATE.INVALID_BIRTH_DATE, CANDIDATE.FIRST_NAME_REQUIRED: the identity refused, naming the `field`' })
  register(@Body() body: RegisterCandidateRequest, @CurrentActor() actor: AuthenticatedActor): Promise<CreatedOutcome> {
    return this.commands.execute(new RegisterCandidateCommand(actor, identityFieldsOf(body) as CandidateIdentity));
  }

  @Post(':candidateId/identity-amendments')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({
    summary:
      'Complete or correct a candidate’s identity (e.g. the birth place codes the accrochage declares): the fields given replace the recorded ones, sealed like the rest; nothing changed, nothing recorded',
  })
  @ApiResponse({ status: 200, type: CommandOutcome })
  @ApiCommandResponses(
    Problems.invalidId,
    { status: 400, description: 'CANDIDATE.INVALID_BIRTH_DATE, CANDIDATE.FIRST_NAME_REQUIRED, or a field refused by its format' },
    { status: 404, description: 'CANDIDATE.NOT_FOUND: no such candidate in the caller’s organisation' },
    { status: 409, description: 'PERSONAL_DATA.ERASED: the candidate’s personal data was erased' },
  )
  amendIdentity(
    @UuidParam('candidateId') candidateId: string,
    @Body() body: AmendCandidateIdentityRequest,
    @CurrentActor() actor: AuthenticatedActor,
  ): Promise<CommandOutcome> {
    return this.commands.execute(new AmendCandidateIdentityCommand(candidateId, identityFieldsOf(body), actor));
  }

  @Get(':candidateId')
  @Roles('admin', 'candidate')
  @ApiOperation({
    summary:
      'A candidate’s identity (their organisation’s admins, and the candidate); each read is recorded; after an erasure, `identity` is `{"withheld":"erased"}`',
  })
  @ApiOkResponse({ type: CandidateView })
  @ApiProblemResponses(
    Problems.invalidId,
    401,
    403,
    { status: 404, description: 'CANDIDATE.NOT_FOUND: no such candidate in the caller’s organisation (a candidate: not themselves)' },
    429,
    Problems.readNotRecorded,
  )
  get(@UuidParam('candidateId') candidateId: string, @CurrentActor() actor: AuthenticatedActor) {
    return this.queries.execute(new GetCandidateQuery(candidateId, actor));
  }

  @Get(':candidateId/personal-data-reads')
  @Roles('dpo', 'auditor')
  @ApiOperation({ summary: 'Who read this candidate’s personal data, when, and through which view (the append-only read log; never the values)' })
  @ApiOkResponse({ type: [PersonalDataReadView], description: 'Oldest first' })
  @ApiProblemResponses(
    Problems.invalidId,
    401,
    403,
    { status: 404, description: 'CANDIDATE.NOT_FOUND: a DPO asked about a candidate not of their organisation' },
    429,
  )
  personalDataReads(@UuidParam('candidateId') candidateId: string, @CurrentActor() actor: AuthenticatedActor) {
    return this.queries.execute(new ListPersonalDataReadsQuery(candidateId, actor));
  }

  @Post(':candidateId/erasure')
  @HttpCode(200)
  @Roles('dpo')
  @ApiOperation({
    summary:
      'Erase a candidate’s personal data (GDPR art. 17, R14): their key is destroyed, so identity and accommodations become unreadable everywhere; documents’ files are deleted; blocs, decisions and documents’ existence stand. Retrying is safe.',
  })
  @ApiBody({ type: NoFieldsRequest, required: false, description: 'No fields: the candidate is in the path, the DPO in the token' })
  @ApiResponse({ status: 200, type: ErasureOutcome })
  @ApiCommandResponses(
    Problems.invalidId,
    { status: 404, description: 'CANDIDATE.NOT_FOUND: no such candidate in the DPO’s organisation' },
    {
      status: 503,
      description: 'READ_MODEL.BEHIND or READ_MODEL.FAILED: the read models cannot yet name every enrollment of the candidate; nothing was erased, retry',
    },
  )
  erase(@UuidParam('candidateId') candidateId: string, @Body() _body: NoFieldsRequest, @CurrentActor() actor: AuthenticatedActor): Promise<ErasureOutcome> {
    return this.commands.execute(new ErasePersonalDataCommand(candidateId, actor));
  }
}
