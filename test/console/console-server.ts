// The api the console's browser tests drive: as `npm start` serves it (console included), on a
// PostgreSQL database of its own, created here and dropped on SIGTERM, with the development sign-in on.
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@jalon/config';
import { createTestDatabase } from '@jalon/event-store/testing/postgres-test-database';
import { IssuanceQueue } from '@jalon/issuance';
import { createApp } from '../../apps/api/src/create-app';

async function main(): Promise<void> {
  const database = await createTestDatabase('jalon_console');
  const dataDir = mkdtempSync(join(tmpdir(), 'jalon-console-'));
  const config = loadConfig({
    PORT: process.env.CONSOLE_TEST_PORT ?? '43900',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'error',
    EVENT_STORE: 'postgres',
    DATABASE_URL: database.url,
    JWT_SECRET: randomBytes(32).toString('hex'),
    MASTER_KEYS: `console-1:${randomBytes(32).toString('base64')}`,
    REDIS_PREFIX: `jalon-console-${randomBytes(4).toString('hex')}`,
    POLL_INTERVAL_MS: '20',
    DEV_SIGN_IN: 'true',
  });
  const app = await createApp(config);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await app.get(IssuanceQueue).obliterate().catch(() => undefined);
    await app.close().catch(() => undefined);
    await database.drop().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
  await app.listen(config.port, '127.0.0.1');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
