import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiExtraModels, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { decideCandidate, isWithheld, NotFoundError, registeredIn } from '@jalon/domain';
import { newId } from '@jalon/event-store';
import { PersonalDataReadLog } from '@jalon/privacy';
import { StreamCommandHandlers } from '@jalon/runtime';
import { AuthenticatedActor, CurrentActor, Roles } from '../auth/auth.decorators';
import { NoFieldsRequest } from '../enrollments/enrollment.requests.dto';
import { ApiCommandResponses, ApiProblemResponses, Problems } from '../shared/api-responses';
import { CommandOutcome, CreatedOutcome } from '../shared/command-outcome';
import { WithheldValue } from '../shared/withheld.responses.dto';
import { RegisterCandidateRequest } from './candidate.requests.dto';
import { CandidateIdentityView, CandidateView, PersonalDataReadView } from './candidates.responses.dto';
import { Erasure, ErasureOutcome } from './erasure.service';
import { UuidParam } from '../shared/uuid-param';

@ApiTags('candidates')
@ApiBearerAuth()
@ApiExtraModels(CandidateIdentityView, WithheldValue)
@Controller('candidates')
export class CandidatesController {
  constructor(
    private readonly reads: PersonalDataReadLog,
    private readonly erasure: Erasure,
    private readonly handlers: StreamCommandHandlers,
  ) {}

  @Post()
  @Roles('admin')
  @ApiOperation({ summary: 'Register a candidate: birth name, usage name, first names, birth date, sex, birth place, email' })
  @ApiResponse({ status: 201, type: CreatedOutcome })
  @ApiCommandResponses({ status: 400, description: 'CANDIDATE.INVALID_BIRTH_DATE, CANDIDATE.FIRST_NAME_REQUIRED: the identity refused, naming the `field`' })
  async register(@Body() body: RegisterCandidateRequest, @CurrentActor() actor: AuthenticatedActor): Promise<CreatedOutcome> {
    const candidateId = newId('candidate');
    const identity = {
      birthName: body.birthName,
      ...(body.usageName ? { usageName: body.usageName } : {}),
      firstNames: body.firstNames,
      birthDate: body.birthDate,
      sex: body.sex,
      birthPlace: body.birthPlace,
      email: body.email,
    };
    const result = await this.handlers.candidates.handle(
      candidateId,
      (state) =>
        decideCandidate(
          {
            type: 'RegisterCandidate',
            data: { candidateId, organisationId: actor.organisationId, identity, by: { id: actor.id, role: actor.role }, now: new Date().toISOString() },
          },
          state,
        ),
      { organisationId: actor.organisationId },
    );
    return { id: candidateId, ...CommandOutcome.of(result.streamId, result) };
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
  async get(@UuidParam('candidateId') candidateId: string, @CurrentActor() actor: AuthenticatedActor) {
    if (actor.role === 'candidate' && actor.id !== candidateId) throw new NotFoundError('CANDIDATE.NOT_FOUND', 'no such candidate');
    const candidate = registeredIn((await this.handlers.candidates.load(candidateId, { open: true })).state, actor.organisationId);
    if (!isWithheld(candidate.identity)) await this.reads.record({ actor, candidateId, view: 'identity', subjects: Object.keys(candidate.identity) });
    return {
      candidateId,
      organisationId: candidate.organisationId,
      identity: candidate.identity,
      ...(candidate.erasedAt ? { erasedAt: candidate.erasedAt } : {}),
    };
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
  async personalDataReads(@UuidParam('candidateId') candidateId: string, @CurrentActor() actor: AuthenticatedActor) {
    // The DPO answers for their organisation's candidates; auditors read across organisations.
    if (actor.role !== 'auditor') {
      // Membership is a clear fact: nothing is opened for it.
      registeredIn((await this.handlers.candidates.load(candidateId)).state, actor.organisationId);
    }
    return this.reads.of(candidateId);
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
    return this.erasure.erase(candidateId, actor);
  }
}
