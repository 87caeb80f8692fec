import { Logger, Module } from '@nestjs/common';
import { AppConfig } from '@jalon/config';
import { Storage } from '@jalon/event-store';
import { createDeliveryProcess, createIssuanceProcess, createStatusListProjection, DeliveryQueue, IssuanceQueue } from '@jalon/issuance';
import { ProjectionRunner } from '@jalon/projections';
import { createAllProjections } from '@jalon/read-models';
import { JobQueuesModule } from './job-queues.module';
import { APP_CONFIG, STORAGE } from './runtime.tokens';

/**
 * The projection runner, with every projection of the service: the read models, the status
 * lists, and the process managers that turn documents to issue and to e-mail into jobs
 * (JobQueuesModule). Started by RuntimeLifecycle where this process runs projections; everywhere,
 * what read-your-writes waits on.
 */
@Module({
  imports: [JobQueuesModule],
  providers: [
    {
      provide: ProjectionRunner,
      inject: [APP_CONFIG, STORAGE, IssuanceQueue, DeliveryQueue],
      useFactory: (config: AppConfig, storage: Storage, queue: IssuanceQueue, deliveries: DeliveryQueue) =>
        new ProjectionRunner(
          storage.sql.db,
          storage.store,
          [
            ...createAllProjections(),
            createIssuanceProcess((jobs) => queue.enqueueAll(jobs)),
            createStatusListProjection(),
            createDeliveryProcess(config.delivery ? (jobs) => deliveries.enqueueAll(jobs) : 'delivery-off'),
          ],
          {
            pollIntervalMs: config.pollIntervalMs,
            logger: new Logger('Projections'),
            // Wakes this process's projections on other processes' appends, and its read-your-writes waits on their checkpoints.
            signals: storage.sql.signals,
          },
        ),
    },
  ],
  exports: [ProjectionRunner],
})
export class ProjectionsModule {}
