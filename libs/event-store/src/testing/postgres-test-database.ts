import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/**
 * The server tests create their databases on: trust auth on this machine and in CI. `npm test`
 * gives each further Jest worker a server of its own (TEST_EXTRA_DATABASE_URLS, the servers of
 * workers 2, 3…, scripts/second-postgres.js): on one server, two suites' transactions hold back
 * each other's reads of the log.
 */
const SERVERS = [
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  ...(process.env.TEST_EXTRA_DATABASE_URLS ?? '').split(',').filter((url) => url !== ''),
];
export const TEST_ADMIN_URL = SERVERS[(Number(process.env.JEST_WORKER_ID ?? '1') - 1) % SERVERS.length];

export interface TestDatabase {
  readonly url: string;
  readonly name: string;
  drop(): Promise<void>;
}

/** A fresh, empty database for one test suite, dropped afterwards: tests never rely on leftovers. */
export async function createTestDatabase(prefix = 'jalon_test'): Promise<TestDatabase> {
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: TEST_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(TEST_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      const client = new Client({ connectionString: TEST_ADMIN_URL });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
