import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INestApplication } from '@nestjs/common';
import { Redis } from 'ioredis';
import { AppConfig, loadConfig } from '@jalon/config';
import { createTestDatabase, TestDatabase } from '@jalon/event-store/testing/postgres-test-database';
import { DeliveryQueue, IssuanceQueue } from '@jalon/issuance';
import { redisTestUrl } from '@jalon/issuance/testing/redis-test-databases';
import { createApp } from '../../apps/api/src/create-app';

export interface TestApp {
  readonly app: INestApplication;
  readonly config: AppConfig;
  readonly database: TestDatabase;
  close(): Promise<void>;
}

/** The api as `npm start` builds it, on a fresh PostgreSQL database of its own (dropped on close). */
export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const database = await createTestDatabase('jalon_e2e');
  // Generated keys and issued documents go to a folder of this app's own.
  const dataDir = mkdtempSync(join(tmpdir(), 'jalon-e2e-'));
  const config = loadConfig({
    DATA_DIR: dataDir,
    LOG_LEVEL: 'error',
    EVENT_STORE: 'postgres',
    DATABASE_URL: database.url,
    POLL_INTERVAL_MS: '20',
    JWT_SECRET: randomBytes(32).toString('hex'),
    MASTER_KEYS: `test-1:${randomBytes(32).toString('base64')}`,
    PUBLIC_BASE_URL: 'https://certificats.jalon.test',
    REDIS_PREFIX: `jalon-test-${randomBytes(4).toString('hex')}`,
    ...env,
  });
  const app = await createApp(config);
  await app.init();
  return {
    app,
    config,
    database,
    async close() {
      // Leave nothing behind in Redis: this app's queues go with it.
      for (const queue of [app.get(IssuanceQueue), app.get(DeliveryQueue)]) await queue.obliterate().catch(() => undefined);
      await app.close();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * The api on a Redis database of the suite's own (emptied before and after), for suites that wipe
 * or search Redis: FLUSHDB there leaves the other suites, running at the same time, alone. Take
 * the database from REDIS_TEST_DATABASES, where a test checks that no other suite uses it.
 */
export async function startTestAppWithOwnRedis(redisDatabase: number, env: Record<string, string> = {}): Promise<TestApp & { readonly redis: Redis }> {
  const url = redisTestUrl(redisDatabase);
  const redis = new Redis(url);
  await redis.flushdb();
  const testApp = await startTestApp({ REDIS_URL: url, ...env });
  return {
    ...testApp,
    redis,
    async close() {
      await testApp.close();
      await redis.flushdb();
      redis.disconnect();
    },
  };
}
