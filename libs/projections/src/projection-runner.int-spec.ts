import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { formatPosition, migrateToLatest, openSqlDatabase, SqlDatabase, SqlDb, SqlEventStore } from '@jalon/event-store';
import { createTestDatabase, TestDatabase } from '@jalon/event-store/testing/postgres-test-database';
import { waitUntilVisible } from '@jalon/event-store/testing/visibility';
import { Projection } from './projection';
import { ProjectionRunner } from './projection-runner';

/** Counts events per stream: an event applied twice shows as a count one too high. */
function counting(name: string, poison?: (type: string) => boolean): Projection {
  return {
    name,
    tables: [{ name: `${name}_counts`, create: (t) => [sql`CREATE TABLE ${sql.table(t)} (stream_id text PRIMARY KEY, count integer NOT NULL)`] }],
    canHandle: 'every-event',
    async apply(trx, events, tables) {
      for (const event of events) {
        if (poison?.(event.type)) throw new Error(`cannot project ${event.type}`);
        await sql`INSERT INTO ${sql.table(tables[`${name}_counts`])} (stream_id, count) VALUES (${event.streamId}, 1)
          ON CONFLICT (stream_id) DO UPDATE SET count = ${sql.table(tables[`${name}_counts`])}.count + 1`.execute(trx);
      }
    },
  };
}
const counts = async (db: SqlDb, table: string) =>
  Object.fromEntries(
    (await sql<{ stream_id: string; count: number }>`SELECT stream_id, count FROM ${sql.table(table)} ORDER BY stream_id`.execute(db)).rows.map((r) => [
      r.stream_id,
      r.count,
    ]),
  );

describe('projection runner (PostgreSQL)', () => {
  let database: TestDatabase;
  let home: SqlDatabase;
  let store: SqlEventStore;

  const appendMany = async (stream: string, n: number, type = 'Counted') => {
    for (let i = 0; i < n; i++) {
      const { position } = await store.append(stream, [{ id: randomUUID(), type, data: { i } }], { expectedRevision: 'any' });
      await waitUntilVisible(store, position);
    }
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    home = await openSqlDatabase({ kind: 'postgres', url: database.url });
    await migrateToLatest(home.db);
    store = new SqlEventStore(home, { pollIntervalMs: 10 });
  });
  afterAll(async () => {
    await home?.close();
    await database?.drop();
  });

  it('applies batches and stores the checkpoint with them', async () => {
    const runner = new ProjectionRunner(home.db, store, [counting('basic')], { batchSize: 7 });
    await runner.prepare();
    await appendMany('a', 10);
    await appendMany('b', 5);
    expect(await runner.catchUp()).toBe(15);
    expect(await counts(home.db, 'basic_counts')).toEqual({ a: 10, b: 5 });
    const [status] = await runner.statuses();
    expect(status).toMatchObject({ name: 'basic', status: 'running', eventsApplied: 15 });
    expect(await runner.waitUntilReached(await store.headPosition(), 100)).toBe(true);
  });

  it('several runners on the same projection never apply an event twice', async () => {
    await appendMany('c', 40);
    const others = await Promise.all([1, 2, 3].map(() => openSqlDatabase({ kind: 'postgres', url: database.url })));
    try {
      const runners = others.map((o) => new ProjectionRunner(o.db, new SqlEventStore(o), [counting('shared')], { batchSize: 3 }));
      await runners[0].prepare();
      await Promise.all(runners.map((r) => r.catchUp()));
      await runners[0].catchUp();
      const total = (
        await home.db
          .selectFrom('events')
          .select(sql<string>`count(*)::text`.as('n'))
          .executeTakeFirstOrThrow()
      ).n;
      const perStream = await counts(home.db, 'shared_counts');
      expect(Object.values(perStream).reduce((a, b) => a + b, 0)).toBe(Number(total));
      expect(perStream.c).toBe(40);
      expect((await runners[0].statuses())[0].eventsApplied).toBe(Number(total));
    } finally {
      await Promise.all(others.map((o) => o.close()));
    }
  });

  it('a failing event stops the projection at its position with the error kept, never skipped', async () => {
    const logged: string[] = [];
    const runner = new ProjectionRunner(home.db, store, [counting('fragile', (type) => type === 'Poison')], {
      batchSize: 50,
      logger: { log: () => undefined, error: (m) => logged.push(m) },
    });
    await runner.prepare();
    await runner.catchUp();
    await appendMany('d', 3);
    await waitUntilVisible(store, (await store.append('d', [{ id: randomUUID(), type: 'Poison', data: {} }], { expectedRevision: 'any' })).position);
    await appendMany('d', 2);
    await runner.catchUp();
    expect((await counts(home.db, 'fragile_counts')).d).toBe(3);
    const [status] = await runner.statuses();
    expect(status.status).toBe('failed');
    expect(status.error).toBe('cannot project Poison');
    const poison = (await store.readStream('d')).find((e) => e.type === 'Poison')!;
    expect(status.failedEventId).toBe(poison.id);
    expect(logged.join('\n')).toContain(`event ${poison.id} (Poison`);
    // Nothing moves past it, however often the runner tries.
    await runner.catchUp();
    expect((await counts(home.db, 'fragile_counts')).d).toBe(3);

    // Once fixed, a rebuild replays everything and revives it.
    const fixed = new ProjectionRunner(home.db, store, [counting('fragile')]);
    await fixed.rebuild('fragile');
    expect((await fixed.statuses())[0]).toMatchObject({ status: 'running' });
    expect((await counts(home.db, 'fragile_counts')).d).toBe(6);
  });

  it('a rebuild replays into fresh tables while the old ones keep answering, then swaps them in', async () => {
    const projection = counting('swapped');
    const runner = new ProjectionRunner(home.db, store, [projection], { rebuildBatchSize: 10 });
    await runner.prepare();
    await runner.catchUp();
    const before = await counts(home.db, 'swapped_counts');
    // Corrupt the live table to see the rebuild replace it.
    await sql`UPDATE swapped_counts SET count = count + 1000`.execute(home.db);
    const duringRebuild: number[] = [];
    let progressCalls = 0;
    const { events } = await runner.rebuild('swapped', async (progress) => {
      progressCalls++;
      expect(progress.done).toBeGreaterThan(0);
      duringRebuild.push(Object.values(await counts(home.db, 'swapped_counts')).reduce((a, b) => a + b, 0));
    });
    expect(progressCalls).toBeGreaterThan(1);
    expect(duringRebuild.every((n) => n > 1000)).toBe(true);
    expect(await counts(home.db, 'swapped_counts')).toEqual(before);
    expect(events).toBe(Object.values(before).reduce((a, b) => a + b, 0));
    // The live runner carries on from the rebuild's checkpoint on the new tables.
    await appendMany('e', 2);
    await runner.catchUp();
    expect((await counts(home.db, 'swapped_counts')).e).toBe(2);
    const leftovers = await sql<{ name: string }>`SELECT tablename AS name FROM pg_tables WHERE tablename LIKE 'swapped_counts__r%'`.execute(home.db);
    expect(leftovers.rows).toEqual([]);
  });

  it('an index added to a table that already exists is created at the next start, and keeps its name through rebuilds', async () => {
    const shipped = counting('grown');
    await new ProjectionRunner(home.db, store, [shipped]).prepare();
    const indexesOf = async () =>
      (await sql<{ name: string }>`SELECT indexname AS name FROM pg_indexes WHERE tablename = 'grown_counts' ORDER BY indexname`.execute(home.db)).rows.map(
        (r) => r.name,
      );
    expect(await indexesOf()).toEqual(['grown_counts_pkey']);
    // A later version of the projection adds an index: no rebuild needed for the live table to get it.
    const grown: Projection = {
      ...shipped,
      tables: [{ ...shipped.tables[0], indexes: (t) => [sql`CREATE INDEX IF NOT EXISTS ${sql.id(`${t}_count`)} ON ${sql.table(t)} (count)`] }],
    };
    const runner = new ProjectionRunner(home.db, store, [grown], { rebuildBatchSize: 50 });
    await runner.prepare();
    expect(await indexesOf()).toEqual(['grown_counts_count', 'grown_counts_pkey']);
    // A rebuild's fresh tables carry their own names until the swap gives the live ones back; the next start adds nothing twice.
    await runner.rebuild('grown');
    await runner.rebuild('grown');
    await runner.prepare();
    expect(await indexesOf()).toEqual(['grown_counts_count', 'grown_counts_pkey']);
  });

  it('tables of an older shape are replayed into the new one at the next start, once, by one of two processes starting together', async () => {
    const shipped = counting('reshaped');
    const first = new ProjectionRunner(home.db, store, [shipped]);
    await first.prepare();
    await appendMany('reshaped-a', 3, 'Started');
    await appendMany('reshaped-b', 2, 'Stopped');
    await first.catchUp();
    const before = await counts(home.db, 'reshaped_counts');
    expect(before).toMatchObject({ 'reshaped-a': 3, 'reshaped-b': 2 });
    // Version 2 keeps each stream's last event type too: rows of version 1 lack it, so they cannot be folded onto.
    const reshaped: Projection = {
      name: 'reshaped',
      tableVersion: 2,
      canHandle: 'every-event',
      tables: [
        {
          name: 'reshaped_counts',
          create: (t) => [sql`CREATE TABLE ${sql.table(t)} (stream_id text PRIMARY KEY, count integer NOT NULL, last_type text NOT NULL)`],
          indexes: (t) => [sql`CREATE INDEX IF NOT EXISTS ${sql.id(`${t}_last_type`)} ON ${sql.table(t)} (last_type)`],
        },
      ],
      async apply(trx, events, tables) {
        for (const event of events)
          await sql`INSERT INTO ${sql.table(tables.reshaped_counts)} (stream_id, count, last_type) VALUES (${event.streamId}, 1, ${event.type})
            ON CONFLICT (stream_id) DO UPDATE SET count = ${sql.table(tables.reshaped_counts)}.count + 1, last_type = excluded.last_type`.execute(trx);
      },
    };
    const said: string[] = [];
    const logger = { log: (message: string) => void said.push(message), error: (message: string) => void said.push(message) };
    const starting = [1, 2].map(() => new ProjectionRunner(home.db, store, [reshaped], { rebuildBatchSize: 50, logger }));
    await Promise.all(starting.map((runner) => runner.prepare()));

    const rows = (
      await sql<{ stream_id: string; count: number; last_type: string }>`SELECT stream_id, count, last_type FROM reshaped_counts ORDER BY stream_id`.execute(
        home.db,
      )
    ).rows;
    expect(Object.fromEntries(rows.map((r) => [r.stream_id, r.count]))).toEqual(before);
    expect(rows.find((r) => r.stream_id === 'reshaped-b')?.last_type).toBe('Stopped');
    const { rows: checkpoint } = await sql<{
      table_version: number;
    }>`SELECT table_version FROM projection_checkpoints WHERE projection = 'reshaped'`.execute(home.db);
    expect(checkpoint[0].table_version).toBe(2);
    // One replay swapped in; a second one, if both started it, was dropped and left no table behind.
    expect(said.filter((line) => line.includes('events replayed'))).toHaveLength(1);
    const { rows: leftovers } = await sql`SELECT tablename FROM pg_tables WHERE tablename LIKE 'reshaped_counts__r%'`.execute(home.db);
    expect(leftovers).toEqual([]);
    // The next start finds the new shape and replays nothing; the projection goes on from the replay's checkpoint.
    const saidBefore = said.length;
    await starting[0].prepare();
    expect(said).toHaveLength(saidBefore);
    await appendMany('reshaped-b', 1, 'Restarted');
    await starting[0].catchUp();
    expect((await counts(home.db, 'reshaped_counts'))['reshaped-b']).toBe(3);
  });

  it('projections with nothing in a stretch skip it together, in one statement; a skip another worker overtook is left', async () => {
    const skipping = (name: string): Projection => ({ name, tables: [], canHandle: ['NeverAppended'], apply: async () => undefined });
    const checkpointMoves: string[] = [];
    // Every statement that moves a checkpoint, as the runner sends it.
    const db = home.db.withPlugin({
      transformQuery: ({ node }) => {
        const text = node.kind === 'RawNode' ? node.sqlFragments.join('?') : '';
        if (/^\s*UPDATE projection_checkpoints/.test(text)) checkpointMoves.push(text);
        return node;
      },
      transformResult: async ({ result }) => result,
    });
    const [a, b] = [skipping('skip_a'), skipping('skip_b')];
    const runner = new ProjectionRunner(db, store, [a, b]);
    await runner.prepare();
    // Each at the head, one after the other: then both read the next stretch from the same place.
    await runner.catchUp();
    await appendMany('skipped', 3);
    checkpointMoves.splice(0);
    expect(await Promise.all([runner.step(a), runner.step(b)])).toEqual([3, 3]);
    expect(checkpointMoves).toHaveLength(1);
    const head = await store.headPosition();
    const positions = async () => (await runner.statuses()).map((s) => [s.name, s.position]);
    expect(await positions()).toEqual([
      ['skip_a', formatPosition(head)],
      ['skip_b', formatPosition(head)],
    ]);
    // Another worker moves skip_b further meanwhile: skip_a's move stands, skip_b's is left to it.
    await appendMany('skipped', 2);
    const later = await store.headPosition();
    await sql`UPDATE projection_checkpoints SET commit_position = ${later.commit.toString()}::bigint, prepare_position = ${later.prepare.toString()}::bigint
      WHERE projection = 'skip_b'`.execute(home.db);
    expect(await Promise.all([runner.step(a), runner.step(b)])).toEqual([2, 0]);
    expect(await positions()).toEqual([
      ['skip_a', formatPosition(later)],
      ['skip_b', formatPosition(later)],
    ]);
  });

  it('a started runner follows new events live and stops cleanly', async () => {
    const runner = new ProjectionRunner(home.db, store, [counting('live')], { pollIntervalMs: 20 });
    await runner.prepare();
    runner.start();
    try {
      await appendMany('f', 3);
      runner.wake();
      expect(await runner.waitUntilReached(await store.headPosition(), 5000)).toBe(true);
      expect((await counts(home.db, 'live_counts')).f).toBe(3);
    } finally {
      await runner.stop();
    }
  });
});
