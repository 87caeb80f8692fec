import { Body, Controller, Get, Inject, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import { CandidateEvent, CandidateState, candidateStreamId, decideCandidate, evolveCandidate, initialCandidateState, NotFoundError, registeredIn } from '@jalon/domain';
import { EventStore, fromRecorded, handleCommand } from '@jalon/event-store';
import { EVENT_STORE } from '@jalon/runtime';
import { AuthenticatedActor, CurrentActor, Roles } from '../auth/auth.decorators';
import { CreatedOutcome } from '../enrollments/enrollment-commands.controller';
import { CommandOutcome } from '../shared/command-outcome';
import { RegisterCandidateRequest } from './candidate.requests.dto';

@ApiTags('candidates')
@ApiBearerAuth()
@Controller('candidates')
export class CandidatesController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @Post()
  @Roles('admin')
  @ApiOperation({ summary: 'Register a candidate: birth name, usage name, first names, birth date, sex, birth place, email' })
  @ApiResponse({ status: 201, type: CreatedOutcome })
  async register(@Body() body: RegisterCandidateRequest, @CurrentActor() actor: AuthenticatedActor): Promise<CreatedOutcome> {
    const candidateId = randomUUID();
    const streamId = candidateStreamId(candidateId);
    const identity = { birthName: body.birthName, ...(body.usageName ? { usageName: body.usageName } : {}), firstNames: body.firstNames, birthDate: body.birthDate, sex: body.sex, birthPlace: body.birthPlace, email: body.email };
    const result = await handleCommand<CandidateState, CandidateEvent>(this.store, {
      streamId,
      initial: initialCandidateState,
      evolve: evolveCandidate,
      decide: (state) => decideCandidate({ type: 'RegisterCandidate', data: { candidateId, organisationId: actor.organisationId, identity, by: { id: actor.id, role: actor.role }, now: new Date().toISOString() } }, state),
      metadata: (event) => ({ actor: event.data.by, occurredAt: event.data.at, organisationId: actor.organisationId }),
    });
    return { id: candidateId, ...CommandOutcome.of(streamId, result) };
  }

  @Get(':candidateId')
  @Roles('admin', 'candidate')
  @ApiOperation({ summary: 'A candidate’s identity (their organisation’s admins, and the candidate)' })
  async get(@Param('candidateId', ParseUUIDPipe) candidateId: string, @CurrentActor() actor: AuthenticatedActor) {
    if (actor.role === 'candidate' && actor.id !== candidateId) throw new NotFoundError('CANDIDATE.NOT_FOUND', 'no such candidate');
    const state = (await this.store.readStream(candidateStreamId(candidateId))).map((e) => fromRecorded<CandidateEvent>(e)).reduce(evolveCandidate, initialCandidateState());
    const candidate = registeredIn(state, actor.organisationId);
    return { candidateId, organisationId: candidate.organisationId, ...candidate.identity };
  }
}
