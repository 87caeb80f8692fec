import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { loadCatalogue } from '@jalon/catalogue';
import { EventStore, migrateToLatest, openSqlDatabase, SqlDatabase, SqlEventStore } from '@jalon/event-store';
import { ProjectionRunner } from '@jalon/projections';
import { CANDIDATE_PATH_PROJECTION, createCandidatePathProjection } from '@jalon/read-models';
import { generatePath, prng, publishReferential, toNewEvents } from '../libs/read-models/src/testing/generate-paths';
import { createWorkload, measureInterleaved, payload, ThroughputResult, timed, Workload } from './throughput';

const RAW_TABLE = 'bench_raw_insert';

/** Plain single-row INSERTs of the payload through raw `pg` clients in autocommit, one client per writer. */
export async function rawInsertWorkload(url: string, name: string, concurrency: number): Promise<Workload> {
  const admin = new Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`CREATE TABLE IF NOT EXISTS ${RAW_TABLE} (id bigserial PRIMARY KEY, data jsonb NOT NULL)`);
  } finally {
    await admin.end();
  }
  return createWorkload(name, concurrency, async (w) => {
    const client = new Client({ connectionString: url });
    await client.connect();
    let seq = 0;
    return {
      op: async () => {
        await client.query(`INSERT INTO ${RAW_TABLE} (data) VALUES ($1)`, [JSON.stringify(payload(w, seq++))]);
      },
      close: () => client.end(),
    };
  });
}

/** Single-event appends through the port, each writer on its own stream with the exact expected revision. */
export async function appendWorkload(store: EventStore, name: string, concurrency: number): Promise<Workload> {
  return createWorkload(name, concurrency, async (w) => {
    const streamId = `bench-${name}-${w}-${randomUUID().slice(0, 8)}`;
    let expected: number | 'no_stream' = 'no_stream';
    let seq = 0;
    return {
      op: async () => {
        const result = await store.append(streamId, [{ id: randomUUID(), type: 'BenchPayloadRecorded', data: payload(w, seq++) }], {
          expectedRevision: expected,
        });
        expected = result.nextExpectedRevision;
      },
    };
  });
}

/** Single-event appends through the port on an in-memory PGlite (one session, so one writer). */
export async function pgliteAppend(options: { seconds: number; warmupSeconds: number }): Promise<ThroughputResult> {
  const home = await openSqlDatabase({ kind: 'pglite' });
  try {
    await migrateToLatest(home.db);
    const store = new SqlEventStore(home);
    const workload = await appendWorkload(store, 'pglite', 1);
    return (await measureInterleaved([workload], { ...options, rounds: 1 })).get('pglite')!;
  } finally {
    await home.close();
  }
}

export interface LoadResult {
  readonly events: number;
  readonly paths: number;
  readonly referentials: number;
  readonly seconds: number;
}

/**
 * Fills the log as the application would: the shipped référentiels published, then generated
 * enrollment paths (the real decider), one append per path, until at least `target` events.
 * A few writers at once, since generating a path costs CPU while the previous append waits on disk.
 */
export async function loadPaths(store: SqlEventStore, target: number, onProgress?: (events: number) => void): Promise<LoadResult> {
  const { entries, problems } = loadCatalogue();
  if (problems.length > 0) throw new Error(`the shipped catalogue has problems: ${problems.map((p) => `${p.file} ${p.path}: ${p.message}`).join('; ')}`);
  const started = performance.now();
  for (const entry of entries) await publishReferential(store, entry.referential, entry.contentHash);
  let events = entries.length;
  let paths = 0;
  let reported = 0;
  const random = prng(20260105);
  const organisations = ['org-1', 'org-2', 'org-3', 'org-4', 'org-5'];
  const writer = async () => {
    while (events < target) {
      const entry = entries[paths % entries.length];
      const path = generatePath(entry.referential, random, { organisationId: organisations[paths % organisations.length] });
      paths++;
      events += path.events.length;
      await store.append(path.streamId, toNewEvents(path.events), { expectedRevision: 'no_stream' });
      if (onProgress && events - reported >= 20_000) {
        reported = events;
        onProgress(events);
      }
    }
  };
  await Promise.all([writer(), writer(), writer(), writer()]);
  return { events, paths, referentials: entries.length, seconds: (performance.now() - started) / 1000 };
}

export interface ScanResult {
  readonly events: number;
  readonly seconds: number;
  readonly perSecond: number;
}

/**
 * The baseline for a rebuild: the whole events table in log order into Node with plain `pg`,
 * keyset-paged on the log-order index, every row decoded (pg parses the jsonb columns, as the store gets them).
 */
export async function rawScan(url: string, pageSize: number): Promise<ScanResult> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { result: events, seconds } = await timed(async () => {
      let count = 0;
      let after: [string, string] | undefined;
      let checksum = 0;
      for (;;) {
        const { rows } = after
          ? await client.query(
              `SELECT global_position, transaction_id, event_id, stream_id, stream_revision, event_type, schema_version, data, metadata, recorded_at
               FROM events WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint) ORDER BY transaction_id, global_position LIMIT ${pageSize}`,
              after,
            )
          : await client.query(
              `SELECT global_position, transaction_id, event_id, stream_id, stream_revision, event_type, schema_version, data, metadata, recorded_at
               FROM events ORDER BY transaction_id, global_position LIMIT ${pageSize}`,
            );
        if (rows.length === 0) break;
        count += rows.length;
        // Touch the decoded values so nothing is left lazily unparsed.
        for (const row of rows) checksum += typeof row.data === 'object' && row.data !== null ? 1 : 0;
        const last = rows[rows.length - 1];
        after = [last.transaction_id, last.global_position];
      }
      if (checksum !== count) throw new Error('the raw scan decoded a row without a JSON object as data');
      return count;
    });
    return { events, seconds, perSecond: events / seconds };
  } finally {
    await client.end();
  }
}

export interface RebuildResult {
  readonly events: number;
  readonly seconds: number;
  readonly perSecond: number;
}

/** A full rebuild of the candidate-path read model, from position 0 into fresh tables, swapped in. */
export async function rebuildCandidatePaths(
  home: SqlDatabase,
  store: SqlEventStore,
  onProgress?: (done: number, perSecond: number) => void,
): Promise<RebuildResult> {
  const runner = new ProjectionRunner(home.db, store, [createCandidatePathProjection()]);
  await runner.prepare();
  let lastReport = 0;
  const { result, seconds } = await timed(() =>
    runner.rebuild(CANDIDATE_PATH_PROJECTION, (progress) => {
      if (onProgress && progress.done - lastReport >= 50_000) {
        lastReport = progress.done;
        onProgress(progress.done, progress.eventsPerSecond);
      }
    }),
  );
  return { events: result.events, seconds, perSecond: result.events / seconds };
}
