import { Module } from '@nestjs/common';
import { ProjectionsModule } from '@jalon/runtime';
import { ReferentialsModule } from '../referentials/referentials.module';
import { GetHealthHandler } from './get-health/get-health.handler';
import { HealthController } from './health.controller';

/** /health: liveness, the event store, the catalogue and each projection (one question). */
@Module({
  imports: [ReferentialsModule, ProjectionsModule],
  controllers: [HealthController],
  providers: [GetHealthHandler],
})
export class HealthModule {}
