import { DynamicModule, Logger, Module } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { ThrottlerModule } from '@nestjs/throttler';
import { AppConfig } from '@jalon/config';
import { Storage } from '@jalon/event-store';
import { EventSourcingModule, RuntimeModule } from '@jalon/runtime';
import { AuthGuard } from './auth/auth.guard';
import { AccrochageModule } from './accrochage/accrochage.module';
import { AuthModule } from './auth/auth.module';
import { CandidatesModule } from './candidates/candidates.module';
import { DocumentsModule } from './documents/documents.module';
import { EnrollmentsModule } from './enrollments/enrollments.module';
import { HealthModule } from './health/health.module';
import { ImportsModule } from './imports/imports.module';
import { PathsModule } from './paths/paths.module';
import { ReferentialsModule } from './referentials/referentials.module';
import { SessionsModule } from './sessions/sessions.module';
import { CallerThrottlerGuard } from './shared/caller-throttler.guard';
import { IdempotencyInterceptor } from './shared/idempotency.interceptor';
import { sharedThrottlerStorage } from './shared/redis-throttler-storage';

const THROTTLER_LOGGER = new Logger('Throttler');

/**
 * The api: one feature module per area (auth, référentiels, candidates, enrollments' acts, paths'
 * questions, documents), each listing its controllers, its command and query handlers and the
 * runtime modules they use, over the process's RuntimeModule (its configuration and storage, its
 * lifecycle); the guards and the idempotency interceptor apply to every route.
 */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, storage: Storage): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CqrsModule.forRoot(),
        RuntimeModule.forRoot(config, storage),
        // One caller (or, on public routes, one address) gets so many requests a minute; a burst beyond answers 429.
        // Counted in Redis, so every api process holds one limit; while Redis is away, each process counts alone
        // (RedisThrottlerStorage). The ThrottlerModule's provider is the storage: the api's shutdown closes its connection.
        ThrottlerModule.forRoot({
          throttlers: [{ ttl: 60_000, limit: config.throttlePerMinute }],
          storage: sharedThrottlerStorage({ url: config.redisUrl, prefix: config.redisPrefix }, (message) => THROTTLER_LOGGER.warn(message)),
        }),
        // The idempotency interceptor's claims: kept in the database, each naming this process's liveness lock.
        EventSourcingModule,
        AuthModule.forRoot(config),
        ReferentialsModule,
        AccrochageModule,
        CandidatesModule,
        EnrollmentsModule,
        PathsModule,
        DocumentsModule,
        ImportsModule,
        SessionsModule,
        HealthModule,
      ],
      providers: [
        // Authentication first: the throttler counts per caller once the caller is known.
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_GUARD, useClass: CallerThrottlerGuard },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
      ],
    };
  }
}
