import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig } from '@jalon/config';
import { Storage } from '@jalon/event-store';
import { configuredIssuers, configuredSender, DocumentDelivery, Issuance, smtpMailer } from '@jalon/issuance';
import { PersonalDataReadLog } from '@jalon/privacy';
import { EventSourcingModule } from './event-sourcing.module';
import { IssuanceModule } from './issuance.module';
import { JobQueuesModule } from './job-queues.module';
import { PrivacyModule } from './privacy.module';
import { ProjectionsModule } from './projections.module';
import { RuntimeLifecycle } from './runtime-lifecycle';
import { APP_CONFIG, ISSUERS, STORAGE } from './runtime.tokens';

/**
 * RuntimeModule.forRoot(config, storage): the process itself, imported once, by its root module
 * (AppModule, WorkerModule, each of the cli's command contexts). It gives every module what the
 * process was started with — its validated configuration (APP_CONFIG, and ISSUERS, the issuers it
 * names) and its opened storage (STORAGE) — and runs RuntimeLifecycle, which starts what the
 * process is configured to run and stops everything on shutdown, in order. Everything else is a
 * module of its own that a feature module imports by name: EventSourcingModule, PrivacyModule,
 * ProjectionsModule, JobQueuesModule, IssuanceModule, AccrochageDeclarationsModule.
 *
 * Global, for two reasons and no more. Its exports are values fixed before Nest starts, read by
 * nearly every module, as @nestjs/config's ConfigModule is global; the runtime's own modules read
 * them too, and they could not import a module made by forRoot. And Nest runs a global module's
 * hooks first at start-up and last at shutdown: RuntimeLifecycle checks the keys and prepares the
 * projections before any other module starts (the catalogue's publication), and closes the queues,
 * Redis and the storage after every other module has stopped. It exports nothing else.
 */
@Global()
@Module({})
export class RuntimeModule {
  /** `storage` is opened by the caller first, so an unreachable store fails before Nest starts, in one line. */
  static forRoot(config: AppConfig, storage: Storage): DynamicModule {
    // Every issuer of this instance (the default one, each certifier issuing as itself), their signature images read now:
    // one that cannot be read also stops start-up before Nest, in one line.
    const issuers = configuredIssuers(config);
    return {
      module: RuntimeModule,
      // What RuntimeLifecycle starts and stops.
      imports: [JobQueuesModule, ProjectionsModule, PrivacyModule, EventSourcingModule, IssuanceModule],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: STORAGE, useValue: storage },
        { provide: ISSUERS, useValue: issuers },
        // The documents e-mailed to their holders, where SMTP_URL is set: only RuntimeLifecycle's delivery worker sends them.
        ...(config.delivery
          ? [
              {
                provide: DocumentDelivery,
                inject: [Issuance, PersonalDataReadLog],
                useFactory: (issuance: Issuance, readLog: PersonalDataReadLog) =>
                  new DocumentDelivery({
                    db: storage.sql.db,
                    store: storage.store,
                    issuance,
                    readLog,
                    mailer: smtpMailer(config.delivery!.smtpUrl),
                    senderOf: configuredSender(config),
                    publicBaseUrl: config.publicBaseUrl,
                  }),
              },
            ]
          : []),
        RuntimeLifecycle,
      ],
      exports: [APP_CONFIG, STORAGE, ISSUERS],
    };
  }
}
