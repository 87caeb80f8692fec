import { Module } from '@nestjs/common';
import { Redis } from 'ioredis';
import { AppConfig } from '@jalon/config';
import { connect, DeliveryQueue, IssuanceQueue } from '@jalon/issuance';
import { APP_CONFIG } from './runtime.tokens';

/**
 * The jobs kept in Redis: the process's one connection to it, and the queues of issuance and
 * e-mail delivery jobs on that connection. The projections' process managers fill them,
 * RuntimeLifecycle's workers run them, the api shows them.
 */
@Module({
  providers: [
    { provide: Redis, inject: [APP_CONFIG], useFactory: (config: AppConfig) => connect({ url: config.redisUrl }) },
    {
      provide: IssuanceQueue,
      inject: [Redis, APP_CONFIG],
      useFactory: (redis: Redis, config: AppConfig) => new IssuanceQueue(redis, { url: config.redisUrl, prefix: config.redisPrefix }),
    },
    {
      provide: DeliveryQueue,
      inject: [Redis, APP_CONFIG],
      useFactory: (redis: Redis, config: AppConfig) => new DeliveryQueue(redis, { url: config.redisUrl, prefix: config.redisPrefix }),
    },
  ],
  exports: [Redis, IssuanceQueue, DeliveryQueue],
})
export class JobQueuesModule {}
