import { Controller, Get } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/auth.decorators';
import { ApiProblemResponses } from '../shared/api-responses';
import { GetHealthQuery } from './get-health/get-health.query';
import { HealthView } from './health.responses.dto';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @ApiOperation({ summary: 'Liveness, the event store in use, and each projection: position, events applied, and the error that stopped it if any' })
  @ApiOkResponse({
    type: HealthView,
    description: 'Always 200 while the api answers; `status` says whether every projection runs',
    example: {
      status: 'ok',
      eventStore: 'pglite',
      referentials: 4,
      projections: [{ name: 'candidate-path', status: 'running', position: '812-1043', eventsApplied: 1043, updatedAt: '2026-11-22T10:00:00.000Z' }],
    },
  })
  @ApiProblemResponses(429)
  health(): Promise<HealthView> {
    return this.queries.execute(new GetHealthQuery());
  }
}
