import { Module } from '@nestjs/common';
import { AccrochageDeclarationsModule, EventSourcingModule } from '@jalon/runtime';
import { AccrochageController } from './accrochage.controller';
import { DeclareHoldersHandler } from './declare-holders/declare-holders.handler';
import { GetDeclarationFluxHandler } from './get-declaration-flux/get-declaration-flux.handler';
import { ListCertifiersHandler } from './list-certifiers/list-certifiers.handler';
import { ListHoldersToDeclareHandler } from './list-holders-to-declare/list-holders-to-declare.handler';

/** The accrochage: holders declared to the Caisse des Dépôts (one folder per act and question). */
@Module({
  imports: [AccrochageDeclarationsModule, EventSourcingModule],
  controllers: [AccrochageController],
  providers: [ListCertifiersHandler, ListHoldersToDeclareHandler, DeclareHoldersHandler, GetDeclarationFluxHandler],
})
export class AccrochageModule {}
