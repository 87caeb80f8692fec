import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { ConfigError, loadConfig } from '@jalon/config';
import { WorkerModule } from './worker.module';

async function main(): Promise<void> {
  loadConfig();
  const app = await NestFactory.createApplicationContext(WorkerModule);
  app.enableShutdownHooks();
  await app.init();
  console.log('Jalon worker started');
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : `Jalon worker failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
