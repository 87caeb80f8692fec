import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AuthenticatedActor, CurrentActor, Roles } from '../auth/auth.decorators';
import { ApiCommandResponses, ApiProblemResponses, Problems } from '../shared/api-responses';
import { UuidParam } from '../shared/uuid-param';
import { GetSessionQuery } from './get-session/get-session.query';
import { RecordSessionHeldCommand } from './record-session-held/record-session-held.command';
import { RecordSessionHeldRequest } from './record-session-held/record-session-held.request.dto';
import { ScheduleSessionCommand } from './schedule-session/schedule-session.command';
import { ScheduleSessionRequest } from './schedule-session/schedule-session.request.dto';
import { SessionHeldView, SessionScheduledView, SessionView } from './sessions.responses.dto';

/**
 * Sessions d'examen over HTTP: one épreuve for a group of candidates at one place and time. Each
 * route turns the request into its command or query (one folder per use case).
 */
@ApiTags('sessions')
@ApiBearerAuth()
@Controller('sessions')
export class SessionsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @Roles('admin')
  @ApiOperation({
    summary: 'Schedule a session d’examen: one épreuve of a version for a selection of enrollments, at a place and time, with its assessors',
    description:
      'The session is recorded (SessionScheduled), then each candidate gets their own sitting on their own path (SittingScheduled, with their own effective durations), one append each, under an id derived from the session and the enrollment. ' +
      'A candidate whose enrollment refuses the sitting is reported in `candidates` with the domain’s code (e.g. ENROLLMENT.WITHDRAWN, SESSION.ENROLLMENT_OF_ANOTHER_VERSION, SITTING.ATTEMPT_IN_PROGRESS) and stops no other. ' +
      'Refused whole with 400 SESSION.NO_PLACE, SESSION.NO_CANDIDATE, SESSION.CANDIDATE_REPEATED, SESSION.NO_ASSESSOR, SESSION.ASSESSOR_REPEATED, SESSION.UNKNOWN_EPREUVE, REFERENTIAL.NOT_PUBLISHED. With an Idempotency-Key, a retry creates nothing twice.',
  })
  @ApiResponse({ status: 201, type: SessionScheduledView })
  @ApiCommandResponses({ status: 400, description: 'The session itself does not fit: SESSION.* codes, naming the `field`' })
  schedule(@Body() body: ScheduleSessionRequest, @CurrentActor() actor: AuthenticatedActor): Promise<SessionScheduledView> {
    return this.commands.execute(
      new ScheduleSessionCommand(actor, body.referentialId, body.version, body.epreuveCode, body.place, body.scheduledAt, body.assessorIds, body.enrollmentIds),
    );
  }

  @Get(':sessionId')
  @Roles('admin', 'assessor')
  @ApiOperation({
    summary:
      'A session’s timetable and its candidates: the start, the base duration and the latest end (whose is never said), and each candidate’s sitting status',
  })
  @ApiOkResponse({ type: SessionView })
  @ApiProblemResponses(Problems.invalidId, 401, 403, 429, {
    status: 404,
    description: 'SESSION.NOT_FOUND: no such session, or not one the caller may see (an admin of its school, its assessors)',
  })
  get(@UuidParam('sessionId') id: string, @CurrentActor() actor: AuthenticatedActor): Promise<SessionView> {
    return this.queries.execute(new GetSessionQuery(id, actor));
  }

  @Post(':sessionId/held')
  @HttpCode(200)
  @Roles('admin', 'assessor')
  @ApiOperation({
    summary: 'Record the session held, in one act: each present candidate’s sitting held (as scheduled unless said otherwise), absent ones left as they are',
    description:
      'Each candidate’s record is one append on their own path (SittingHeld); a refusal (e.g. SITTING.ALREADY_HELD, SITTING.EXTRA_TIME_NOT_GIVEN) is reported for that candidate with its code and undoes no other; then the session records each outcome (SessionHeld). ' +
      'Refused whole with 400 SESSION.HELD_IN_FUTURE, SESSION.CANDIDATE_NOT_IN_SESSION, SESSION.CANDIDATE_REPEATED; 403 SESSION.ASSESSOR_NOT_ASSIGNED; 404 SESSION.NOT_FOUND.',
  })
  @ApiOkResponse({ type: SessionHeldView })
  @ApiCommandResponses(
    { status: 400, description: 'SESSION.* codes, naming the `field`' },
    { status: 403, description: 'SESSION.ASSESSOR_NOT_ASSIGNED' },
    { status: 404, description: 'SESSION.NOT_FOUND' },
  )
  held(@UuidParam('sessionId') id: string, @Body() body: RecordSessionHeldRequest, @CurrentActor() actor: AuthenticatedActor): Promise<SessionHeldView> {
    return this.commands.execute(
      new RecordSessionHeldCommand(
        id,
        actor,
        body.heldAt,
        body.candidates.map((c) => ({
          enrollmentId: c.enrollmentId,
          absent: c.absent ?? false,
          ...(c.timedParts ? { timedParts: c.timedParts } : {}),
          ...(c.accommodationsApplied ? { accommodationsApplied: c.accommodationsApplied } : {}),
          ...(c.mode ? { mode: c.mode } : {}),
        })),
      ),
    );
  }
}
