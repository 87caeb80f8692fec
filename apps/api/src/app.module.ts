import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { HealthController } from './health/health.controller';
import { CatalogueService } from './referentials/catalogue.service';
import { GetReferentialHandler } from './referentials/get-referential/get-referential.handler';
import { ListReferentialsHandler } from './referentials/list-referentials/list-referentials.handler';
import { ReferentialsController } from './referentials/referentials.controller';

@Module({
  imports: [CqrsModule.forRoot()],
  controllers: [HealthController, ReferentialsController],
  providers: [CatalogueService, ListReferentialsHandler, GetReferentialHandler],
})
export class AppModule {}
