import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { Client } from 'pg';
import { migrateToLatest, openSqlDatabase, RecordedEvent, SqlDatabase, SqlDb, SqlEventStore } from '@jalon/event-store';
import { createTestDatabase, TestDatabase } from '@jalon/event-store/testing/postgres-test-database';
import { Projection } from './projection';
import { ProjectionRunner } from './projection-runner';

/** Longer than every wait below: what arrives before it was signalled, never polled. */
const LONG_POLL_MS = 10_000;
/** What the waits below allow: generous, and still short of LONG_POLL_MS. */
const WAIT_MS = 8_000;

function counting(name: string): Projection {
  return {
    name,
    tables: [{ name: `${name}_counts`, create: (t) => [sql`CREATE TABLE ${sql.table(t)} (stream_id text PRIMARY KEY, count integer NOT NULL)`] }],
    canHandle: 'every-event',
    async apply(trx, events, tables) {
      for (const event of events)
        await sql`INSERT INTO ${sql.table(tables[`${name}_counts`])} (stream_id, count) VALUES (${event.streamId}, 1)
          ON CONFLICT (stream_id) DO UPDATE SET count = ${sql.table(tables[`${name}_counts`])}.count + 1`.execute(trx);
    },
  };
}

const countOf = async (db: SqlDb, table: string, streamId: string) =>
  (await sql<{ count: number }>`SELECT count FROM ${sql.table(table)} WHERE stream_id = ${streamId}`.execute(db)).rows[0]?.count ?? 0;

/**
 * Two processes on one database, each with its own pool and its own listening connection (what
 * separates processes here): the "worker" runs the projection, the "api" appends and waits for
 * the worker's checkpoint (read-your-writes), as deployed. Every poll is set far longer than the
 * waits allow, so a wait that completes was woken by a signal; speed is the bench's to show.
 */
describe('projection runners of two processes wake each other through LISTEN/NOTIFY (PostgreSQL)', () => {
  let database: TestDatabase;
  let admin: Client;
  const opened: SqlDatabase[] = [];
  const runners: ProjectionRunner[] = [];

  const open = async (reconnectDelayMs = 100) => {
    const home = await openSqlDatabase({ kind: 'postgres', url: database.url, poolSize: 3, signals: { reconnectDelayMs } });
    opened.push(home);
    return home;
  };

  /** The listening connections of this database (one per process that listens), once each has run its LISTEN. */
  const listeners = async () =>
    (
      await admin.query<{ pid: number }>(
        `SELECT pid FROM pg_stat_activity WHERE datname = $1 AND application_name = 'jalon-signals' AND state = 'idle' AND query LIKE 'LISTEN%'`,
        [database.name],
      )
    ).rows.map((r) => r.pid);

  const until = async (what: string, condition: () => Promise<boolean>) => {
    const deadline = Date.now() + WAIT_MS;
    while (!(await condition())) {
      if (Date.now() > deadline) throw new Error(`${what}: not within ${WAIT_MS} ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  /** The worker (runs `projection`) and the api (waits for it), both prepared and listening. */
  const workerAndApi = async (projection: Projection, options: { pollIntervalMs: number; reconnectDelayMs?: number }) => {
    const workerHome = await open(options.reconnectDelayMs);
    const apiHome = await open(options.reconnectDelayMs);
    const worker = new ProjectionRunner(workerHome.db, new SqlEventStore(workerHome, { pollIntervalMs: options.pollIntervalMs }), [projection], {
      pollIntervalMs: options.pollIntervalMs,
      signals: workerHome.signals,
    });
    const api = new ProjectionRunner(apiHome.db, new SqlEventStore(apiHome), [projection], {
      pollIntervalMs: options.pollIntervalMs,
      signals: apiHome.signals,
    });
    runners.push(worker, api);
    await worker.prepare();
    await api.prepare();
    worker.start();
    await until('both processes listening', async () => (await listeners()).length === 2);
    return { apiHome, api, apiStore: new SqlEventStore(apiHome), workerHome };
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    admin = new Client({ connectionString: database.url });
    await admin.connect();
    const home = await openSqlDatabase({ kind: 'postgres', url: database.url });
    await migrateToLatest(home.db);
    await home.close();
  });
  afterEach(async () => {
    for (const runner of runners.splice(0)) await runner.stop();
    for (const home of opened.splice(0)) await home.close();
  });
  afterAll(async () => {
    await admin?.end();
    await database?.drop();
  });

  it("an append in the api wakes the worker's projection, and its checkpoint the api's wait, with every poll 10 s away", async () => {
    const { apiHome, api, apiStore } = await workerAndApi(counting('woken'), { pollIntervalMs: LONG_POLL_MS });
    for (const stream of ['w-1', 'w-2', 'w-3']) {
      const { position } = await apiStore.append(stream, [{ id: randomUUID(), type: 'Counted', data: {} }], { expectedRevision: 'no_stream' });
      expect(await api.waitForPosition(position, WAIT_MS)).toEqual({ outcome: 'reached' });
      expect(await countOf(apiHome.db, 'woken_counts', stream)).toBe(1);
    }
  });

  it('with the listening connections lost, the poll still delivers', async () => {
    // Reconnection 60 s away: while the test runs, only the 300 ms poll can deliver.
    const { apiHome, api, apiStore } = await workerAndApi(counting('polled'), { pollIntervalMs: 300, reconnectDelayMs: 60_000 });
    for (const pid of await listeners()) await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    await until('the listening connections gone', async () => (await listeners()).length === 0);
    const { position } = await apiStore.append('p-1', [{ id: randomUUID(), type: 'Counted', data: {} }], { expectedRevision: 'no_stream' });
    expect(await api.waitForPosition(position, WAIT_MS)).toEqual({ outcome: 'reached' });
    expect(await countOf(apiHome.db, 'polled_counts', 'p-1')).toBe(1);
    expect(await listeners()).toEqual([]);
  });

  it('a listening connection lost is made again, and the signals wake through it (every poll 10 s away)', async () => {
    const { apiHome, api, apiStore } = await workerAndApi(counting('reconnected'), { pollIntervalMs: LONG_POLL_MS, reconnectDelayMs: 100 });
    const before = await listeners();
    for (const pid of before) await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    await until('both processes listening again', async () => {
      const now = await listeners();
      return now.length === 2 && now.every((pid) => !before.includes(pid));
    });
    const { position } = await apiStore.append('r-1', [{ id: randomUUID(), type: 'Counted', data: {} }], { expectedRevision: 'no_stream' });
    expect(await api.waitForPosition(position, WAIT_MS)).toEqual({ outcome: 'reached' });
    expect(await countOf(apiHome.db, 'reconnected_counts', 'r-1')).toBe(1);
  });

  it("a subscription wakes on another process's append (poll 10 s away)", async () => {
    const readerHome = await open();
    const writerHome = await open();
    const reader = new SqlEventStore(readerHome, { pollIntervalMs: LONG_POLL_MS });
    const writer = new SqlEventStore(writerHome);
    const subscription = reader.subscribeToAll({ after: await reader.headPosition() });
    const iterator = subscription[Symbol.asyncIterator]();
    try {
      // The first read finds nothing; the subscription sleeps, listening.
      await until('the reader listening', async () => (await listeners()).length === 1);
      const next = iterator.next();
      await new Promise((resolve) => setTimeout(resolve, 100));
      const id = randomUUID();
      await writer.append('s-1', [{ id, type: 'Counted', data: {} }], { expectedRevision: 'no_stream' });
      let timer: NodeJS.Timeout | undefined;
      const batch = await Promise.race([
        next,
        new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no batch within ${WAIT_MS} ms`)), WAIT_MS))),
      ]);
      clearTimeout(timer);
      expect((batch.value as RecordedEvent[]).map((e) => e.id)).toEqual([id]);
    } finally {
      await subscription.stop();
    }
  });
});

describe('read-your-writes within the embedded process (PGlite)', () => {
  it('a wait is woken by the local runner moving its checkpoint, with the poll 10 s away', async () => {
    const home = await openSqlDatabase({ kind: 'pglite' });
    try {
      await migrateToLatest(home.db);
      const store = new SqlEventStore(home, { pollIntervalMs: LONG_POLL_MS });
      const runner = new ProjectionRunner(home.db, store, [counting('embedded')], { pollIntervalMs: LONG_POLL_MS, signals: home.signals });
      await runner.prepare();
      runner.start();
      try {
        for (const stream of ['e-1', 'e-2']) {
          const { position } = await store.append(stream, [{ id: randomUUID(), type: 'Counted', data: {} }], { expectedRevision: 'no_stream' });
          expect(await runner.waitForPosition(position, WAIT_MS)).toEqual({ outcome: 'reached' });
          expect(await countOf(home.db, 'embedded_counts', stream)).toBe(1);
        }
      } finally {
        await runner.stop();
      }
    } finally {
      await home.close();
    }
  });
});
