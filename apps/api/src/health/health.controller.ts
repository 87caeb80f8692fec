import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AppConfig } from '@jalon/config';
import { ProjectionRunner } from '@jalon/projections';
import { APP_CONFIG } from '@jalon/runtime';
import { Public } from '../auth/auth.decorators';
import { ApiProblemResponses } from '../shared/api-responses';
import { CatalogueService } from '../referentials/catalogue.service';
import { HealthView } from './health.responses.dto';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly catalogue: CatalogueService,
    private readonly projections: ProjectionRunner,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

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
  async health(): Promise<HealthView> {
    const projections = await this.projections.statuses();
    return {
      status: projections.some((p) => p.status === 'failed') ? 'degraded' : 'ok',
      eventStore: this.config.eventStore,
      referentials: this.catalogue.entries.length,
      projections,
    };
  }
}
