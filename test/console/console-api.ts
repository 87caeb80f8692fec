import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INestApplication } from '@nestjs/common';
import { loadConfig } from '@jalon/config';
import { createTestDatabase } from '@jalon/event-store/testing/postgres-test-database';
import { DeliveryQueue, IssuanceQueue } from '@jalon/issuance';
import { createApp } from '../../apps/api/src/create-app';

/**
 * An api for the console's browser tests, as `npm start` serves it (console included), on
 * `port` and a PostgreSQL database of its own (`database` names it), with `env` on top of the
 * tests' settings; `stop` empties its queues, closes it and drops the database.
 */
export async function startConsoleApi(
  port: string,
  database: string,
  env: Record<string, string>,
): Promise<{ app: INestApplication; stop: () => Promise<void> }> {
  const created = await createTestDatabase(database);
  const dataDir = mkdtempSync(join(tmpdir(), `${database.replace(/_/g, '-')}-`));
  const config = loadConfig({
    PORT: port,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'error',
    EVENT_STORE: 'postgres',
    DATABASE_URL: created.url,
    JWT_SECRET: randomBytes(32).toString('hex'),
    MASTER_KEYS: `console-1:${randomBytes(32).toString('base64')}`,
    PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
    REDIS_PREFIX: `${database.replace(/_/g, '-')}-${randomBytes(4).toString('hex')}`,
    POLL_INTERVAL_MS: '20',
    ...env,
  });
  const app = await createApp(config);
  await app.listen(config.port, '127.0.0.1');
  return {
    app,
    async stop() {
      for (const queue of [app.get(IssuanceQueue), app.get(DeliveryQueue)]) await queue.obliterate().catch(() => undefined);
      await app.close().catch(() => undefined);
      await created.drop().catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
