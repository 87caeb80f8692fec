import { randomBytes } from 'node:crypto';
import { INestApplication } from '@nestjs/common';
import { AppConfig, loadConfig } from '@jalon/config';
import { createTestDatabase, TestDatabase } from '@jalon/event-store/testing/postgres-test-database';
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
  const config = loadConfig({ LOG_LEVEL: 'error', EVENT_STORE: 'postgres', DATABASE_URL: database.url, POLL_INTERVAL_MS: '20', JWT_SECRET: randomBytes(32).toString('hex'), ...env });
  const app = await createApp(config);
  await app.init();
  return {
    app,
    config,
    database,
    async close() {
      await app.close();
      await database.drop();
    },
  };
}
