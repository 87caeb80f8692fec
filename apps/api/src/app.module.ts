import { createSecretKey } from 'node:crypto';
import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { JwtModule } from '@nestjs/jwt';
import { ThrottlerModule } from '@nestjs/throttler';
import { AppConfig, resolveJwtSecret } from '@jalon/config';
import { Storage } from '@jalon/event-store';
import { RuntimeModule } from '@jalon/runtime';
import { AuthGuard } from './auth/auth.guard';
import { AuthController } from './auth/auth.controller';
import { IdentityProvider } from './auth/identity-provider';
import { CandidatesController } from './candidates/candidates.controller';
import { Erasure } from './candidates/erasure.service';
import { DocumentsController } from './documents/documents.controller';
import { DocumentsService } from './documents/documents.service';
import { EnrollmentsModule } from './enrollments/enrollments.module';
import { PathsModule } from './paths/paths.module';
import { HealthController } from './health/health.controller';
import { CataloguePublisher } from './referentials/catalogue-publisher';
import { CatalogueService } from './referentials/catalogue.service';
import { GetReferentialHandler } from './referentials/get-referential/get-referential.handler';
import { ListReferentialsHandler } from './referentials/list-referentials/list-referentials.handler';
import { PublishReferentialHandler } from './referentials/publish-referential/publish-referential.handler';
import { ReferentialsController } from './referentials/referentials.controller';
import { CallerThrottlerGuard } from './shared/caller-throttler.guard';
import { IdempotencyInterceptor } from './shared/idempotency.interceptor';
import { WindowThrottlerStorage } from './shared/window-throttler-storage';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, storage: Storage): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CqrsModule.forRoot(),
        RuntimeModule.forRoot(config, storage),
        // One caller (or, on public routes, one address) gets so many requests a minute; a burst beyond answers 429.
        ThrottlerModule.forRoot({ throttlers: [{ ttl: 60_000, limit: config.throttlePerMinute }], storage: new WindowThrottlerStorage() }),
        // A KeyObject, not the string: given a string, jsonwebtoken first tries to parse it as a
        // public key on every verification (and fails), which cost a fifth of a request's CPU.
        JwtModule.register({
          secret: createSecretKey(Buffer.from(resolveJwtSecret(config), 'utf8')) as unknown as string,
          signOptions: { algorithm: 'HS256' },
          verifyOptions: { algorithms: ['HS256'] },
        }),
        EnrollmentsModule,
        PathsModule,
      ],
      controllers: [AuthController, HealthController, ReferentialsController, CandidatesController, DocumentsController],
      providers: [
        // Authentication first: the throttler counts per caller once the caller is known.
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_GUARD, useClass: CallerThrottlerGuard },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
        IdentityProvider,
        CatalogueService,
        CataloguePublisher,
        Erasure,
        DocumentsService,
        ListReferentialsHandler,
        GetReferentialHandler,
        PublishReferentialHandler,
      ],
    };
  }
}
