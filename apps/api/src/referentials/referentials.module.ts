import { Module } from '@nestjs/common';
import { EventSourcingModule } from '@jalon/runtime';
import { PathsModule } from '../paths/paths.module';
import { CataloguePublisher } from './catalogue-publisher';
import { CatalogueService } from './catalogue.service';
import { GetReferentialHandler } from './get-referential/get-referential.handler';
import { ListReferentialsHandler } from './list-referentials/list-referentials.handler';
import { PublishReferentialHandler } from './publish-referential/publish-referential.handler';
import { ReferentialsController } from './referentials.controller';
import { WithdrawReferentialVersionHandler } from './withdraw-referential-version/withdraw-referential-version.handler';

/** The catalogue: référentiel versions published and withdrawn from new enrollments (one folder per act and question), browsed, and the shipped ones published at start-up. */
@Module({
  imports: [PathsModule, EventSourcingModule],
  controllers: [ReferentialsController],
  providers: [
    CatalogueService,
    CataloguePublisher,
    ListReferentialsHandler,
    GetReferentialHandler,
    PublishReferentialHandler,
    WithdrawReferentialVersionHandler,
  ],
  exports: [CatalogueService],
})
export class ReferentialsModule {}
