/**
 * `npm run bench -- --out FILE [--events N] [--seconds S] [--warmup S]`
 *
 * Measures the event store and the candidate-path rebuild against raw `pg` baselines taken in the
 * same run on the same PostgreSQL (a fresh database, dropped at the end), prints a table and
 * writes the numbers as JSON. It reports speeds; it never asserts them.
 */
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { Client } from 'pg';
import { migrateToLatest, openSqlDatabase, SqlDatabase, SqlEventStore } from '@jalon/event-store';
import { createTestDatabase, TEST_ADMIN_URL, TestDatabase } from '@jalon/event-store/testing/postgres-test-database';
import { appendWorkload, loadPaths, pgliteAppend, rawInsertWorkload, rawScan, rebuildCandidatePaths } from './measurements';
import { formatTable, Metric } from './report';
import { measureInterleaved, payload, ThroughputResult } from './throughput';

const SCAN_PAGE_SIZE = 10_000;
const REBUILD_BATCH_SIZE = 2000; // the runner's default rebuildBatchSize, recorded in meta
const ROUNDS = 5;

function parseOptions() {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      events: { type: 'string', default: '200000' },
      seconds: { type: 'string', default: '5' },
      warmup: { type: 'string', default: '1' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log('usage: npm run bench -- [--out FILE] [--events N (200000)] [--seconds S per throughput measurement (5)] [--warmup S (1)]');
    process.exit(0);
  }
  const number = (name: string, text: string, min: number) => {
    const n = Number(text);
    if (!Number.isFinite(n) || n < min) throw new Error(`--${name} must be a number ≥ ${min}, got ${text}`);
    return n;
  };
  return {
    out: values.out,
    events: Math.floor(number('events', values.events!, 1)),
    seconds: number('seconds', values.seconds!, 0.1),
    warmupSeconds: number('warmup', values.warmup!, 0),
  };
}

/**
 * pg's Pool.end() resolves before its sockets are closed; a DROP DATABASE ... WITH (FORCE) sent
 * meanwhile kills those sessions, whose clients then raise an unhandled error. Wait for them to go.
 */
async function waitForDisconnections(name: string, timeoutMs = 3000): Promise<void> {
  const admin = new Client({ connectionString: TEST_ADMIN_URL });
  await admin.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const { rows } = await admin.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [name]);
      if (rows[0].n === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    await admin.end();
  }
}

const log = (message: string) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);
const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;

async function main(): Promise<void> {
  const options = parseOptions();
  const runStarted = performance.now();
  const throughput = { seconds: options.seconds, warmupSeconds: options.warmupSeconds };
  let database: TestDatabase | undefined;
  let home: SqlDatabase | undefined;
  const cleanup = async () => {
    await home?.close().catch(() => undefined);
    home = undefined;
    if (database) await waitForDisconnections(database.name).catch(() => undefined);
    await database?.drop().catch((error) => log(`could not drop ${database?.name}: ${String(error)}`));
    database = undefined;
  };
  const onSignal = () => {
    log('interrupted: dropping the bench database');
    void cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    database = await createTestDatabase('jalon_bench');
    log(`database ${database.name}`);
    home = await openSqlDatabase({ kind: 'postgres', url: database.url, poolSize: 8 });
    await migrateToLatest(home.db);
    const store = new SqlEventStore(home);
    const server = (await sql<{ version: string; sync: string; buffers: string }>`
      SELECT current_setting('server_version') AS version, current_setting('synchronous_commit') AS sync, current_setting('shared_buffers') AS buffers`.execute(home.db)).rows[0];

    log(`loading ≥ ${options.events} events (the 4 référentiels, then generated paths, one append per path)...`);
    const load = await loadPaths(store, options.events, (n) => log(`  ${n} events loaded`));
    log(`loaded ${load.events} events (${load.paths} paths) in ${load.seconds.toFixed(1)} s (${Math.round(load.events / load.seconds)} events/s; not measured)`);
    // Settle the freshly loaded tables, so autovacuum and a checkpoint flushing the load's dirty
    // pages do not land in the middle of a measurement.
    await sql`VACUUM (ANALYZE)`.execute(home.db);
    await sql`CHECKPOINT`.execute(home.db);

    // The scan is timed before and after the rebuild (after a warm-up pass) and averaged, so both
    // sides of rebuild_ratio see the machine in the same state.
    log('raw scan (warm-up pass, then measured)...');
    await rawScan(database.url, SCAN_PAGE_SIZE);
    const scanBefore = await rawScan(database.url, SCAN_PAGE_SIZE);
    log(`  ${scanBefore.events} events in ${scanBefore.seconds.toFixed(2)} s`);

    log('candidate-path rebuild...');
    const rebuild = await rebuildCandidatePaths(home, store, (done, perSecond) => log(`  ${done} events (${Math.round(perSecond)}/s)`));
    log(`  ${rebuild.events} events in ${rebuild.seconds.toFixed(2)} s`);

    log('raw scan again...');
    const scanAfter = await rawScan(database.url, SCAN_PAGE_SIZE);
    log(`  ${scanAfter.events} events in ${scanAfter.seconds.toFixed(2)} s`);
    const scan = { events: scanBefore.events, seconds: (scanBefore.seconds + scanAfter.seconds) / 2, perSecond: 0 };
    scan.perSecond = scan.events / scan.seconds;
    if (rebuild.events !== scan.events || scanAfter.events !== scan.events) log(`  warning: the rebuild read ${rebuild.events} events, the raw scans ${scanBefore.events} and ${scanAfter.events}`);

    // Raw inserts and appends alternate in short slices, so a drift of the machine (other
    // processes, checkpoints) weighs on both sides of a ratio alike.
    log(`writes: ${options.warmupSeconds} s warm-up each, then ${ROUNDS} interleaved rounds, ${options.seconds} s in all per measurement...`);
    const workloads = [
      await rawInsertWorkload(database.url, 'raw_insert_c1', 1),
      await appendWorkload(store, 'append_c1', 1),
      await rawInsertWorkload(database.url, 'raw_insert_c4', 4),
      await appendWorkload(store, 'append_c4', 4),
    ];
    let writes: Map<string, ThroughputResult>;
    try {
      writes = await measureInterleaved(workloads, { ...throughput, rounds: ROUNDS }, log);
    } finally {
      for (const workload of workloads) await workload.close();
    }
    const raw1 = writes.get('raw_insert_c1')!;
    const append1 = writes.get('append_c1')!;
    const raw4 = writes.get('raw_insert_c4')!;
    const append4 = writes.get('append_c4')!;

    log(`PGlite append, in memory (${options.warmupSeconds} s warm-up + ${options.seconds} s)...`);
    const pglite = await pgliteAppend(throughput);

    const results = {
      raw_insert_c1_per_s: round(raw1.perSecond, 1),
      raw_insert_c4_per_s: round(raw4.perSecond, 1),
      append_c1_per_s: round(append1.perSecond, 1),
      append_c4_per_s: round(append4.perSecond, 1),
      append_c1_ratio: round(append1.perSecond / raw1.perSecond, 3),
      append_c4_ratio: round(append4.perSecond / raw4.perSecond, 3),
      raw_scan_per_s: round(scan.perSecond, 1),
      rebuild_per_s: round(rebuild.perSecond, 1),
      rebuild_ratio: round(rebuild.perSecond / scan.perSecond, 3),
      pglite_append_per_s: round(pglite.perSecond, 1),
    };
    const runSeconds = (performance.now() - runStarted) / 1000;
    const meta = {
      date: new Date().toISOString(),
      node: process.version,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model,
      postgres: server.version,
      synchronousCommit: server.sync,
      sharedBuffers: server.buffers,
      events: load.events,
      paths: load.paths,
      loadSeconds: round(load.seconds, 2),
      scanEvents: scan.events,
      scanSeconds: [round(scanBefore.seconds, 3), round(scanAfter.seconds, 3)],
      scanPageSize: SCAN_PAGE_SIZE,
      rebuildEvents: rebuild.events,
      rebuildSeconds: round(rebuild.seconds, 3),
      rebuildBatchSize: REBUILD_BATCH_SIZE,
      seconds: options.seconds,
      warmupSeconds: options.warmupSeconds,
      writeRounds: ROUNDS,
      payloadBytes: Buffer.byteLength(JSON.stringify(payload(0, 0))),
      runSeconds: round(runSeconds, 1),
    };

    const metrics: Metric[] = [
      { name: 'raw_insert_c1_per_s', value: results.raw_insert_c1_per_s },
      { name: 'append_c1_per_s', value: results.append_c1_per_s },
      { name: 'append_c1_ratio', value: results.append_c1_ratio },
      { name: 'raw_insert_c4_per_s', value: results.raw_insert_c4_per_s },
      { name: 'append_c4_per_s', value: results.append_c4_per_s },
      { name: 'append_c4_ratio', value: results.append_c4_ratio, target: 0.5 },
      { name: 'raw_scan_per_s', value: results.raw_scan_per_s },
      { name: 'rebuild_per_s', value: results.rebuild_per_s },
      { name: 'rebuild_ratio', value: results.rebuild_ratio, target: 0.3 },
      { name: 'pglite_append_per_s', value: results.pglite_append_per_s },
    ];
    console.log(formatTable(metrics));
    console.log(`${load.events} events (loaded in ${load.seconds.toFixed(1)} s, not measured); run took ${runSeconds.toFixed(1)} s`);
    if (options.out) {
      writeFileSync(options.out, `${JSON.stringify({ ...results, meta }, null, 2)}\n`);
      log(`wrote ${options.out}`);
    }
  } finally {
    await cleanup();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
});
