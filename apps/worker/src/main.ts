import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { ConfigError, loadConfig } from '@jalon/config';
import { openStorage, StorageUnavailableError } from '@jalon/event-store';
import { ServiceLogger } from '@jalon/runtime';
import { WorkerModule } from './worker.module';

async function main(): Promise<void> {
  const config = loadConfig();
  const storage = await openStorage(config);
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config, storage), {
    abortOnError: false,
    logger: new ServiceLogger(config.logLevel),
  });
  app.enableShutdownHooks();
  await app.init();
  console.log(`Jalon worker running projections and issuance jobs (events in ${config.eventStore}, jobs in ${config.redisUrl})`);
}

main().catch((error: unknown) => {
  // One clear line for an operator, not a stack trace.
  const known = error instanceof ConfigError || error instanceof StorageUnavailableError;
  console.error(known ? (error as Error).message : `Jalon worker failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
