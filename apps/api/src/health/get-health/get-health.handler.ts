import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { AppConfig } from '@jalon/config';
import { ProjectionRunner } from '@jalon/projections';
import { APP_CONFIG } from '@jalon/runtime';
import { CatalogueService } from '../../referentials/catalogue.service';
import { HealthView } from '../health.responses.dto';
import { GetHealthQuery } from './get-health.query';

@QueryHandler(GetHealthQuery)
export class GetHealthHandler implements IQueryHandler<GetHealthQuery, HealthView> {
  constructor(
    private readonly catalogue: CatalogueService,
    private readonly projections: ProjectionRunner,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute(): Promise<HealthView> {
    const projections = await this.projections.statuses();
    return {
      status: projections.some((p) => p.status === 'failed') ? 'degraded' : 'ok',
      eventStore: this.config.eventStore,
      referentials: this.catalogue.entries.length,
      projections,
    };
  }
}
