import { Module } from '@nestjs/common';
import { AccrochageDeclarations } from '@jalon/accrochage';
import { AppConfig } from '@jalon/config';
import { Storage } from '@jalon/event-store';
import { verificationUrl } from '@jalon/issuance';
import { PersonalDataReadLog, PersonalDataVault } from '@jalon/privacy';
import { EventSourcingModule } from './event-sourcing.module';
import { PrivacyModule } from './privacy.module';
import { ReferentialResolver } from './referential-resolver.service';
import { APP_CONFIG, STORAGE } from './runtime.tokens';
import { StreamCommandHandlers } from './stream-command-handlers';

/** The accrochage: each configured certifier's holders declared to the Caisse des Dépôts, from the log, once. */
@Module({
  imports: [EventSourcingModule, PrivacyModule],
  providers: [
    {
      provide: AccrochageDeclarations,
      inject: [APP_CONFIG, STORAGE, PersonalDataVault, PersonalDataReadLog, StreamCommandHandlers, ReferentialResolver],
      useFactory: (
        config: AppConfig,
        storage: Storage,
        vault: PersonalDataVault,
        readLog: PersonalDataReadLog,
        handlers: StreamCommandHandlers,
        referentials: ReferentialResolver,
      ) =>
        new AccrochageDeclarations({
          db: storage.sql.db,
          store: storage.store,
          vault,
          readLog,
          declarations: handlers.accrochage,
          referential: (id, version) => referentials.resolve(id, version),
          certifiers: config.accrochageCertifiers,
          verificationUrl: (number) => verificationUrl(config.publicBaseUrl, number),
        }),
    },
  ],
  exports: [AccrochageDeclarations],
})
export class AccrochageDeclarationsModule {}
