import { INestApplication, ValidationError as FieldError, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppConfig } from '@jalon/config';
import { openStorage } from '@jalon/event-store';
import { ServiceLogger } from '@jalon/runtime';
import { AppModule } from './app.module';
import { serveConsole } from './console/serve-console';
import { acceptJsonBodies } from './shared/json-bodies';
import { RequestBodyPipe } from './shared/request-body.pipe';
import { invalidRequest } from './shared/invalid-request';
import { ProblemDetailsFilter } from './shared/problem-details.filter';

/** Builds the api exactly as `npm start` serves it; end-to-end tests use the same function. */
export async function createApp(config: AppConfig): Promise<INestApplication> {
  const storage = await openStorage(config);
  let app: NestFastifyApplication;
  try {
    // Fastify rather than Express: the same pipeline serves about three times the requests per CPU
    // second (bench/framework-floor-server.ts, README "Performance"). Paths match as they did on
    // Express: a trailing slash or another case changes nothing, and a parameter may be long.
    // Behind a load balancer, the caller's address is the one it forwards (the rate limit of public routes counts per address).
    const adapter = new FastifyAdapter({
      routerOptions: { ignoreTrailingSlash: true, caseSensitive: false, maxParamLength: 1024 },
      ...(config.trustProxy !== undefined ? { trustProxy: config.trustProxy } : {}),
    });
    app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, storage), adapter, {
      logger: new ServiceLogger(config.logLevel),
      abortOnError: false,
      bodyParser: false,
    });
  } catch (error) {
    await storage.close();
    throw error;
  }
  // Bodies beyond the limit answer 413 (a référentiel file is the largest thing anyone sends).
  acceptJsonBodies(app.getHttpAdapter().getInstance(), config.bodyLimitBytes);
  app.useGlobalPipes(
    new RequestBodyPipe(),
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      // 400 with each field and why, as problem+json (see ProblemDetailsFilter); the fields may be
      // the body's or the query's, so the message names neither.
      exceptionFactory: (errors) => invalidRequest(flattenFieldErrors(errors)),
    }),
  );
  app.useGlobalFilters(new ProblemDetailsFilter());
  app.enableShutdownHooks();
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Jalon')
      .setDescription('Candidate paths to French professional certifications (RNCP), bloc by bloc, from an event log')
      .setVersion('0.1.0')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'npm run cli -- token --role ROLE [--subject ID] [--org ORG]' })
      .build(),
  );
  // Swagger UI at /docs, the OpenAPI JSON at /docs-json; the console at / and its own paths.
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  serveConsole(app, config.consoleDir, [...Object.keys(document.paths), '/docs', '/docs-json']);
  // Fastify answers once its plugins are loaded and the routes registered: the app is returned
  // ready, so a server built on it (npm start, the tests' supertest) answers from the first request.
  try {
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  } catch (error) {
    await app.close().catch(() => undefined);
    throw error;
  }
  return app;
}

/** Nested class-validator errors as a flat list: `results.0.met: met must be a boolean value`. */
export function flattenFieldErrors(errors: FieldError[], prefix = ''): { field: string; reasons: string[] }[] {
  return errors.flatMap((error) => {
    const field = `${prefix}${error.property}`;
    const own = error.constraints ? [{ field, reasons: Object.values(error.constraints) }] : [];
    return [...own, ...flattenFieldErrors(error.children ?? [], `${field}.`)];
  });
}
