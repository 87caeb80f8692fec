import { DynamicModule, Global, Inject, Injectable, Logger, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@jalon/config';
import { EventStore, Storage } from '@jalon/event-store';
import { ProjectionRunner } from '@jalon/projections';
import { createAllProjections } from '@jalon/read-models';

export const APP_CONFIG = Symbol('APP_CONFIG');
export const STORAGE = Symbol('STORAGE');
export const EVENT_STORE = Symbol('EVENT_STORE');

/** Starts the projections when this process is configured to run them, and stops everything on shutdown. */
@Injectable()
export class RuntimeLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Projections');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(STORAGE) private readonly storage: Storage,
    private readonly runner: ProjectionRunner,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.runner.prepare();
    if (this.config.runProjections) {
      this.runner.start();
      this.logger.log(`running ${this.runner.projections.map((p) => p.name).join(', ')}`);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runner.stop();
    await this.storage.close();
  }
}

/**
 * RuntimeModule.forRoot(config): what every Jalon process shares: the validated configuration, the event store and the SQL
 * database of read models, and the projection runner. One module, used by the api and the worker.
 */
@Global()
@Module({})
export class RuntimeModule {
  /** `storage` is opened by the caller first, so an unreachable store fails before Nest starts, in one line. */
  static forRoot(config: AppConfig, storage: Storage): DynamicModule {
    return {
      module: RuntimeModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: STORAGE, useValue: storage },
        { provide: EVENT_STORE, inject: [STORAGE], useFactory: (storage: Storage): EventStore => storage.store },
        {
          provide: ProjectionRunner,
          inject: [STORAGE],
          useFactory: (storage: Storage) =>
            new ProjectionRunner(storage.sql.db, storage.store, createAllProjections(), { pollIntervalMs: config.pollIntervalMs, logger: new Logger('Projections') }),
        },
        RuntimeLifecycle,
      ],
      exports: [APP_CONFIG, STORAGE, EVENT_STORE, ProjectionRunner],
    };
  }
}
