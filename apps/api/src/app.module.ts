import { DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { AppConfig } from '@jalon/config';
import { Storage } from '@jalon/event-store';
import { RuntimeModule } from '@jalon/runtime';
import { HealthController } from './health/health.controller';
import { CataloguePublisher } from './referentials/catalogue-publisher';
import { CatalogueService } from './referentials/catalogue.service';
import { GetReferentialHandler } from './referentials/get-referential/get-referential.handler';
import { ListReferentialsHandler } from './referentials/list-referentials/list-referentials.handler';
import { PublishReferentialHandler } from './referentials/publish-referential/publish-referential.handler';
import { ReferentialsController } from './referentials/referentials.controller';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, storage: Storage): DynamicModule {
    return {
      module: AppModule,
      imports: [CqrsModule.forRoot(), RuntimeModule.forRoot(config, storage)],
      controllers: [HealthController, ReferentialsController],
      providers: [CatalogueService, CataloguePublisher, ListReferentialsHandler, GetReferentialHandler, PublishReferentialHandler],
    };
  }
}
