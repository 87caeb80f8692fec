/**
 * `npm run bench -- --out FILE [--events N] [--seconds S] [--warmup S] [--enrollments N] [--queries N] [--decisions N] [--issuance-concurrency N] [--holders N] [--only issuance|http|console|accrochage|read-your-write] [--keep]`
 *
 * Measures the event store and the candidate-path rebuild against raw `pg` baselines taken in the
 * same run on the same PostgreSQL (a fresh database, dropped at the end), then the api itself over
 * HTTP, its api and worker processes as deployed: a command against the store's own appends, and
 * the two path queries on a read model of 50,000 enrollments and the web console on it (headless
 * Chromium: its first screen's weight, its list's response to a filter); last, the issuance of documents:
 * rendering and signing in-process, against decisions issued through Redis by two worker
 * processes. `--only issuance` runs that last part alone, `--only http` the commands against the
 * appends, `--only console` the console over `--enrollments`, each on a database holding only the
 * référentiels (and, for the console, the generated paths); `--only accrochage` the declaration of
 * `--holders` awards to the Caisse des Dépôts against a raw pass; `--only read-your-write` a command
 * then the same client's query with `consistentWith`, api and worker apart. Prints a table and writes the
 * numbers as JSON. It reports speeds; it never asserts them.
 */
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { Client } from 'pg';
import { migrateToLatest, openSqlDatabase, SqlDatabase, SqlEventStore } from '@jalon/event-store';
import { createTestDatabase, TEST_ADMIN_URL, TestDatabase } from '@jalon/event-store/testing/postgres-test-database';
import { GENERATED_ASSESSORS } from '../libs/read-models/src/testing/generate-paths';
import {
  appendsAt,
  bareAppendWorkload,
  frameworkFloorWorkload,
  httpFloorWorkload,
  HttpCommandWorkload,
  loadOrganisationPaths,
  measureQueries,
  shippedReferential,
} from './api-measurements';
import { summariseCpuProfiles } from './cpu-profile-summary';
import { BenchApi, cpuSecondsOf, ORGANISATION, postgresCpuSeconds, startBareAppendServer, startDeployedApi, startFrameworkFloorServer } from './deployed-api';
import { HttpClient, RequestClient, SpreadHttpClient } from './http-client';
import { appendWorkload, loadPaths, pgliteAppend, rawInsertWorkload, rawScan, rebuildCandidatePaths } from './measurements';
import { formatTable, Metric } from './report';
import { CpuMeteredWorkload, measureInterleaved, payload, ThroughputResult, timed, Workload } from './throughput';
import { measureIssuance, publishShippedReferentials } from './issuance-measurements';
import { buildConsole, ConsoleResult, measureConsole, p95 } from './console-measurements';
import { measureAccrochage } from './accrochage-measurements';
import { measureImport } from './import-measurements';
import { measureReadYourWrite, ReadYourWriteResult } from './read-your-write-measurements';

const SCAN_PAGE_SIZE = 10_000;
const REBUILD_BATCH_SIZE = 2000; // the runner's default rebuildBatchSize, recorded in meta
const ROUNDS = 5;
/** Four blocs of one épreuve each: every enrollment gives four held sittings to assess. */
const HTTP_REFERENTIAL = 'data-ia-quatre-blocs';
const HTTP_CONNECTIONS = 4;
/** Held sittings prepared for the http workload: this many times what the pilot's rate would consume. */
const HTTP_MARGIN = 1.6;
const QUERY_WARMUP = 50;
/** Issuance worker processes: issuance_ratio compares their speed with this many times one renderer. */
const ISSUANCE_WORKERS = 2;
/** Annulments timed, one after the other, from the command to the document's bit in the published status list. */
const STATUS_LIST_REVOCATIONS = 30;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const SECTIONS = ['issuance', 'http', 'console', 'accrochage', 'read-your-write', 'import'] as const;
/** Filter changes timed in the console's list. */
const CONSOLE_LIST_CHANGES = 40;

function parseOptions() {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      events: { type: 'string', default: '200000' },
      seconds: { type: 'string', default: '5' },
      warmup: { type: 'string', default: '1' },
      enrollments: { type: 'string', default: '50000' },
      queries: { type: 'string', default: '300' },
      decisions: { type: 'string', default: '3000' },
      holders: { type: 'string', default: '10000' },
      'import-rows': { type: 'string', default: '10000' },
      'issuance-concurrency': { type: 'string' },
      only: { type: 'string' },
      'cpu-prof': { type: 'string' },
      keep: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(
      'usage: npm run bench -- [--out FILE] [--events N (200000)] [--seconds S per throughput measurement (5)] [--warmup S (1)]\n' +
        `  [--enrollments N in ${ORGANISATION} for the queries (50000)] [--queries N timed requests of each query (300)] [--keep: leave the database, for EXPLAIN]\n` +
        `  [--decisions N issued in the measured rounds (3000)] [--issuance-concurrency N per worker process (startIssuanceWorker's default)]\n` +
        `  [--holders N declared in the accrochage export (10000)]\n` +
        `  [--import-rows N rows of the cohort file imported (10000)]\n` +
        `  [--only ${SECTIONS.join('|')}: that part alone, on a fresh database with the référentiels only]\n` +
        `  [--cpu-prof DIR: CPU profiles of the api and the worker over the measured HTTP rounds, written to DIR and summarised]`,
    );
    process.exit(0);
  }
  const only = (text: string | undefined): (typeof SECTIONS)[number] | undefined => {
    if (text === undefined) return undefined;
    if (!(SECTIONS as readonly string[]).includes(text)) throw new Error(`--only must be one of ${SECTIONS.join(', ')}, got ${text}`);
    return text as (typeof SECTIONS)[number];
  };
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
    enrollments: Math.floor(number('enrollments', values.enrollments!, 1)),
    queries: Math.floor(number('queries', values.queries!, 1)),
    keep: values.keep!,
    decisions: Math.floor(number('decisions', values.decisions!, 1)),
    holders: Math.floor(number('holders', values.holders!, 1)),
    importRows: Math.floor(number('import-rows', values['import-rows']!, 1)),
    issuanceConcurrency:
      values['issuance-concurrency'] === undefined ? undefined : Math.floor(number('issuance-concurrency', values['issuance-concurrency'], 1)),
    only: only(values.only),
    cpuProfileDir: values['cpu-prof'],
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
const roundAll = (p: { count: number; p50: number; p95: number; max: number }) => ({
  count: p.count,
  p50: round(p.p50, 2),
  p95: round(p.p95, 2),
  max: round(p.max, 2),
});

/**
 * The HTTP command workload on the deployed api, its held sittings prepared over HTTP (not measured):
 * a few, a pilot for the rate, then enough for `seconds` of it with a margin.
 */
async function prepareHttpCommands(
  api: BenchApi,
  client: RequestClient,
  seconds: number,
  name?: string,
): Promise<{ http: HttpCommandWorkload; pilotPerSecond: number; setupSeconds: number }> {
  const http = new HttpCommandWorkload(api, client, shippedReferential(HTTP_REFERENTIAL), name);
  const setup = await timed(async () => {
    await http.prepare(150);
    const pilotPerSecond = await http.pilot(40, 60, HTTP_MARGIN);
    const enrollments = http.shortfall(seconds);
    log(
      `  pilot: ${Math.round(pilotPerSecond)} assessments/s; preparing ${enrollments} more enrollments (${HTTP_REFERENTIAL}@1, ${http.sittingsPerEnrollment} held sittings each)...`,
    );
    await http.prepare(enrollments, (done) => log(`  ${done}/${enrollments} enrollments with held sittings`));
    api.projections.resume();
    await api.projections.settle();
    api.projections.pause();
    return pilotPerSecond;
  });
  log(`  ${http.remaining()} held sittings ready (set-up ${setup.seconds.toFixed(1)} s, not measured)`);
  return { http, pilotPerSecond: setup.result, setupSeconds: setup.seconds };
}

/**
 * Starts the api and the worker as deployed on the bench's database, prepares the HTTP commands
 * (not measured), then runs `baselines` (made then), the HTTP floor and the commands in interleaved
 * rounds: raw inserts, appends and HTTP requests alternate in short slices, so a drift of the
 * machine (other processes, checkpoints) weighs on both sides of a ratio alike. The worker's
 * projections run only in the commands' own slices (see HttpCommandWorkload).
 */
async function measureWritesWithApi(
  databaseUrl: string,
  home: SqlDatabase,
  store: SqlEventStore,
  throughput: { seconds: number; warmupSeconds: number },
  baselines: () => Promise<Workload[]>,
  started: (api: BenchApi, client: HttpClient) => void,
  cpuProfileDir?: string,
): Promise<{
  api: BenchApi;
  http: HttpCommandWorkload;
  /** The same commands spread over two api processes. */
  http2: HttpCommandWorkload;
  writes: Map<string, ThroughputResult>;
  pilotPerSecond: number;
  setupSeconds: number;
  bare: BareAppendMeta;
}> {
  log(`api: starting two api processes and the worker (EVENT_STORE=postgres, RUN_ISSUANCE=false)...`);
  const api = await startDeployedApi(databaseUrl, home, store, { cpuProfileDir, apis: 2 });
  const client = new HttpClient(api.port, HTTP_CONNECTIONS);
  started(api, client);
  const { http, pilotPerSecond, setupSeconds } = await prepareHttpCommands(api, client, throughput.warmupSeconds + throughput.seconds);
  // The same connections in all, half to each api process, each connection keeping to its process.
  const spread = new SpreadHttpClient(api.ports.map((port) => new HttpClient(port, HTTP_CONNECTIONS / api.ports.length)));
  log(`  the same commands over ${api.ports.length} api processes:`);
  const { http: http2 } = await prepareHttpCommands(api, spread, throughput.warmupSeconds + throughput.seconds, 'http_command_2api_c4');
  await sql`VACUUM (ANALYZE)`.execute(home.db);
  await sql`CHECKPOINT`.execute(home.db);
  const appends = await appendsAt(home, http.pilotPositions);
  const bare = await startBareAppendServer(databaseUrl);
  const bareClient = new HttpClient(bare.port, HTTP_CONNECTIONS);
  // Express against Fastify on the api's pipeline alone (bench/framework-floor-server.ts).
  const floors = await Promise.all((['express', 'fastify'] as const).map((platform) => startFrameworkFloorServer(platform, api.jwtSecret)));
  const floorClients = floors.map((floor) => new HttpClient(floor.port, HTTP_CONNECTIONS));
  const assessorToken = api.token('assessor', 'assessor-bench');
  log(`writes: ${throughput.warmupSeconds} s warm-up each, then ${ROUNDS} interleaved rounds, ${throughput.seconds} s in all per measurement...`);
  const workloads: Workload[] = [];
  // Where the references' CPU goes, as the commands' is (HttpCommandWorkload.cpuMsPerCommand).
  const ownCpu = () => cpuSecondsOf(process.pid);
  const bareAppends = new CpuMeteredWorkload(await bareAppendWorkload(bareClient, appends), () => ({
    server: bare.cpuSeconds(),
    postgres: postgresCpuSeconds(),
    bench: ownCpu(),
  }));
  const fastifyFloor = new CpuMeteredWorkload(
    await frameworkFloorWorkload('nest_fastify_floor_c4', floorClients[1], assessorToken, shippedReferential(HTTP_REFERENTIAL)),
    () => ({ server: floors[1].cpuSeconds(), bench: ownCpu() }),
  );
  try {
    workloads.push(
      ...(await baselines()),
      await httpFloorWorkload(client),
      bareAppends,
      await frameworkFloorWorkload('nest_express_floor_c4', floorClients[0], assessorToken, shippedReferential(HTTP_REFERENTIAL)),
      fastifyFloor,
      http,
      http2,
    );
    await api.writeCpuProfiles(); // the set-up's profile: what follows is the measured rounds'
    const writes = await measureInterleaved(workloads, { ...throughput, rounds: ROUNDS }, log);
    if (cpuProfileDir !== undefined) {
      await api.writeCpuProfiles();
      log(`cpu profiles of the measured rounds:\n${await summariseCpuProfiles(cpuProfileDir, ['api', 'api2', 'worker'], 2)}`);
    }
    const eventsPerCommand = appends.reduce((n, events) => n + events.length, 0) / appends.length;
    return {
      api,
      http,
      http2,
      writes,
      pilotPerSecond,
      setupSeconds,
      bare: {
        appendsReplayed: appends.length,
        eventsPerCommand,
        cpuMsPerRequest: bareAppends.cpuMsPerOperation(),
        fastifyFloorCpuMsPerRequest: fastifyFloor.cpuMsPerOperation(),
      },
    };
  } finally {
    for (const workload of workloads) await workload.close();
    spread.close();
    bareClient.close();
    for (const floorClient of floorClients) floorClient.close();
    await Promise.all([bare, ...floors].map((server) => server.close()));
  }
}

/** The HTTP numbers of a measureWritesWithApi, with their ratios to the appends of the same rounds. */
function httpResults(
  writes: Map<string, ThroughputResult>,
  http: HttpCommandWorkload,
  http2: HttpCommandWorkload,
  references: BareAppendMeta,
): Record<string, number> {
  const append4 = writes.get('append_c4')!.perSecond;
  const command = writes.get(http.name)!.perSecond;
  const floor = writes.get('http_floor_c4')!.perSecond;
  const bare = writes.get('http_bare_append_c4')!.perSecond;
  return {
    http_command_per_s: round(command, 1),
    http_command_ratio: round(command / append4, 3),
    http_floor_per_s: round(floor, 1),
    http_floor_ratio: round(floor / append4, 3),
    http_bare_append_per_s: round(bare, 1),
    http_bare_append_ratio: round(bare / append4, 3),
    http_command_to_ceiling: round(command / bare, 3),
    ...ceilingBound(http, references),
    http_command_2api_per_s: round(writes.get(http2.name)!.perSecond, 1),
    http_command_scaling: round(writes.get(http2.name)!.perSecond / command, 3),
    nest_express_floor_per_s: round(writes.get('nest_express_floor_c4')!.perSecond, 1),
    nest_fastify_floor_per_s: round(writes.get('nest_fastify_floor_c4')!.perSecond, 1),
    fastify_over_express: round(writes.get('nest_fastify_floor_c4')!.perSecond / writes.get('nest_express_floor_c4')!.perSecond, 3),
  };
}

/** What the bare append workload replayed, and where its requests' CPU went (and the framework floor's). */
interface BareAppendMeta {
  readonly appendsReplayed: number;
  readonly eventsPerCommand: number;
  readonly cpuMsPerRequest: Record<'server' | 'postgres' | 'bench', number>;
  readonly fastifyFloorCpuMsPerRequest: Record<'server' | 'bench', number>;
}

const totalOf = (perProcess: Record<string, number>) => Object.values(perProcess).reduce((a, b) => a + b, 0);

/**
 * What http_command_to_ceiling can reach at most with the api's framework in the path, from the
 * CPU the same rounds measured (the machine is CPU-bound: both sides' requests share its two
 * cores): a command costs at least its appends behind bare node:http (every process's CPU) plus
 * what the framework floor server spends on the same request (Nest on Fastify, the token, the
 * body's validation; no database, no decision, no rate limit, no projection). The bound counts
 * node:http's own parsing twice (the floor server's and the bare server's), so the true most is a
 * little higher; the commands' own CPU beside it says where the rest goes.
 */
function ceilingBound(http: HttpCommandWorkload, references: BareAppendMeta): Record<string, number> {
  const bare = totalOf(references.cpuMsPerRequest);
  const command = totalOf(http.cpuMsPerCommand());
  if (bare === 0 || command === 0) return {};
  return {
    http_bare_append_cpu_ms: round(bare, 2),
    http_command_cpu_ms: round(command, 2),
    http_command_to_ceiling_bound: round(bare / (bare + references.fastifyFloorCpuMsPerRequest.server), 3),
  };
}

/** What the HTTP command measurement was, for the JSON's meta. */
function httpMeta(
  api: BenchApi,
  http: HttpCommandWorkload,
  http2: HttpCommandWorkload,
  measured: ThroughputResult,
  pilotPerSecond: number,
  setupSeconds: number,
  bare: BareAppendMeta,
) {
  const cpu = http.cpuMsPerCommand();
  const cpuMs = (perProcess: Record<string, number>) => Object.fromEntries(Object.entries(perProcess).map(([process, ms]) => [process, round(ms, 2)]));
  return {
    command: 'POST /enrollments/{id}/sittings/{sittingId}/assessments (every criterion met)',
    referential: `${HTTP_REFERENTIAL}@1`,
    connections: HTTP_CONNECTIONS,
    api: 'apps/api/src/main.ts in its own process (RUN_PROJECTIONS=false), as docker-compose.yml deploys it; the client in the bench process',
    projections: `apps/worker/src/main.ts in its own process (RUN_ISSUANCE=false): running during the http slices, frozen (SIGSTOP) during the other workloads; all but candidate-path start at the head (the generated history is not theirs to process)`,
    projectionsRun: api.projections.names,
    pilotPerSecond: round(pilotPerSecond, 1),
    setupSeconds: round(setupSeconds, 1),
    sittingsPrepared: http.sittingsPrepared,
    sittingsLeft: http.remaining(),
    enrollmentsToppedUpBetweenSlices: http.toppedUp,
    operations: measured.operations,
    cpuMsPerCommand: cpuMs(cpu),
    projectionCatchUpAfterSliceMs: round(Math.max(...http.lags), 1),
    twoApis: {
      workload: `${http2.name}: the same commands, ${HTTP_CONNECTIONS} connections in all spread over ${api.ports.length} api processes (each connection keeps to one, as a load balancer spreads keep-alive connections), one worker`,
      cpuMsPerCommand: cpuMs(http2.cpuMsPerCommand()),
      sittingsPrepared: http2.sittingsPrepared,
    },
    bareAppend: {
      server: "bench/bare-append-server.ts in its own process: node:http, JSON in and out, SqlEventStore.append on the api's pool size, nothing else",
      replays: `the events of the pilot's ${bare.appendsReplayed} commands as stored (types prefixed Bare), one command's per request`,
      eventsPerCommand: round(bare.eventsPerCommand, 2),
      cpuMsPerRequest: cpuMs(bare.cpuMsPerRequest),
    },
    fastifyFloorCpuMsPerRequest: cpuMs(bare.fastifyFloorCpuMsPerRequest),
  };
}

function httpMetrics(results: Record<string, number>): Metric[] {
  return [
    { name: 'http_command_per_s', value: results.http_command_per_s, note: `${HTTP_CONNECTIONS} connections; api and worker processes as deployed` },
    {
      name: 'http_command_ratio',
      value: results.http_command_ratio,
      note: 'to append_c4_per_s (a one-event append: not a ceiling, see http_command_to_ceiling)',
    },
    {
      name: 'http_floor_per_s',
      value: results.http_floor_per_s,
      note: `GET /health through the api, ${HTTP_CONNECTIONS} connections: its pipeline and one SQL read`,
    },
    { name: 'http_floor_ratio', value: results.http_floor_ratio, note: 'to append_c4_per_s' },
    { name: 'http_bare_append_per_s', value: results.http_bare_append_per_s, note: `the commands' own appends behind bare node:http, nothing else` },
    { name: 'http_bare_append_ratio', value: results.http_bare_append_ratio, note: 'to append_c4_per_s: the ceiling of http_command_ratio here' },
    {
      name: 'http_command_2api_per_s',
      value: results.http_command_2api_per_s,
      note: `the same ${HTTP_CONNECTIONS} connections spread over two api processes, one worker, same machine`,
    },
    {
      name: 'http_command_scaling',
      value: results.http_command_scaling,
      note: 'http_command_2api_per_s / http_command_per_s: what a second api process adds on these 2 cores (see meta.http.twoApis)',
    },
    {
      name: 'nest_express_floor_per_s',
      value: results.nest_express_floor_per_s,
      note: "the command's request through Nest on Express: token verified, body validated, no database (bench/framework-floor-server.ts)",
    },
    { name: 'nest_fastify_floor_per_s', value: results.nest_fastify_floor_per_s, note: 'the same on Fastify (@nestjs/platform-fastify)' },
    { name: 'fastify_over_express', value: results.fastify_over_express, note: 'nest_fastify_floor_per_s / nest_express_floor_per_s, same run' },
    {
      name: 'http_command_to_ceiling',
      value: results.http_command_to_ceiling,
      target: 0.7,
      note: 'http_command_per_s / http_bare_append_per_s: the commands against their own appends behind bare node:http, same run',
    },
    {
      name: 'http_bare_append_cpu_ms',
      value: results.http_bare_append_cpu_ms,
      note: 'CPU ms of every process (bare server, PostgreSQL, client) per bare append request (meta.http.bareAppend)',
    },
    {
      name: 'http_command_cpu_ms',
      value: results.http_command_cpu_ms,
      note: 'CPU ms of every process (api, worker, PostgreSQL, client) per command (meta.http.cpuMsPerCommand)',
    },
    {
      name: 'http_command_to_ceiling_bound',
      value: results.http_command_to_ceiling_bound,
      note: 'the most http_command_to_ceiling can be with the framework in the path: bare CPU / (bare CPU + the Fastify floor server’s CPU)',
    },
  ];
}

async function main(): Promise<void> {
  const options = parseOptions();
  const runStarted = performance.now();
  // The machine may be shared: its load when the run starts and ends goes into meta.
  const loadAtStart = loadavg().map((n) => round(n, 2));
  const throughput = { seconds: options.seconds, warmupSeconds: options.warmupSeconds };
  let database: TestDatabase | undefined;
  let home: SqlDatabase | undefined;
  let api: BenchApi | undefined;
  let client: HttpClient | undefined;
  const cleanup = async () => {
    client?.close();
    client = undefined;
    await api?.close().catch((error) => log(`could not close the api: ${String(error)}`));
    api = undefined;
    await home?.close().catch(() => undefined);
    home = undefined;
    if (database && options.keep) {
      log(`kept the database: ${database.url} (drop it with DROP DATABASE ${database.name})`);
      database = undefined;
    }
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
    if (options.only === undefined || options.only === 'console') buildConsole();
    database = await createTestDatabase('jalon_bench');
    log(`database ${database.name}`);
    home = await openSqlDatabase({ kind: 'postgres', url: database.url, poolSize: 8 });
    await migrateToLatest(home.db);
    const store = new SqlEventStore(home);
    const server = (
      await sql<{ version: string; sync: string; buffers: string }>`
      SELECT current_setting('server_version') AS version, current_setting('synchronous_commit') AS sync, current_setting('shared_buffers') AS buffers`.execute(
        home.db,
      )
    ).rows[0];

    const results: Record<string, number> = {};
    const meta: Record<string, unknown> = {
      date: new Date().toISOString(),
      node: process.version,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model,
      postgres: server.version,
      synchronousCommit: server.sync,
      sharedBuffers: server.buffers,
      only: options.only ?? 'all',
      seconds: options.seconds,
      warmupSeconds: options.warmupSeconds,
    };
    const metrics: Metric[] = [];
    const summary: string[] = [];
    /** The console's two measures: compressed JS+CSS of the first screen, and the list's p95 from a filter change to the list rendered. */
    const recordConsole = (console: ConsoleResult, enrollments: number) => {
      Object.assign(results, { console_first_load_kb: round(console.firstLoadBytes / 1024, 1), console_list_p95_ms: round(p95(console.listMs), 1) });
      Object.assign(meta, {
        console: {
          firstLoadFiles: console.firstLoadFiles,
          firstLoadBytes: console.firstLoadBytes,
          listChanges: console.listMs.length,
          listMs: console.listMs.map((ms) => round(ms, 1)),
          enrollments,
        },
      });
      metrics.push(
        {
          name: 'console_first_load_kb',
          value: results.console_first_load_kb,
          atMost: 250,
          note: `an admin's dashboard: ${console.firstLoadFiles} JS/CSS files, gzip`,
        },
        {
          name: 'console_list_p95_ms',
          value: results.console_list_p95_ms,
          atMost: 1000,
          note: `status filter changed in the list, ${enrollments} enrollments, headless Chromium`,
        },
      );
    };
    /** Read-your-writes across processes: a command's answer to the same client's query with consistentWith answered, the write in it. */
    const recordReadYourWrite = (ryw: ReadYourWriteResult) => {
      Object.assign(results, { read_your_write_p50_ms: round(ryw.readYourWrite.p50, 2), read_your_write_p95_ms: round(ryw.readYourWrite.p95, 2) });
      meta.readYourWrite = {
        feed: `one client, one connection: POST /enrollments/{id}/sittings/{sittingId}/assessments, then GET /enrollments/{id}?consistentWith=<its position> until the sitting shows assessed (checked), one after the other; api (RUN_PROJECTIONS=false) and worker in their own processes, the worker running`,
        warmup: QUERY_WARMUP,
        readYourWrite: roundAll(ryw.readYourWrite),
        command: roundAll(ryw.command),
        queryAlone: roundAll(ryw.queryAlone),
        ms: ryw.ms.map((ms) => round(ms, 1)),
      };
      metrics.push(
        {
          name: 'read_your_write_p50_ms',
          value: results.read_your_write_p50_ms,
          note: `the same query alone: p50 ${ryw.queryAlone.p50.toFixed(2)} ms; the command: p50 ${ryw.command.p50.toFixed(2)} ms`,
        },
        {
          name: 'read_your_write_p95_ms',
          value: results.read_your_write_p95_ms,
          atMost: 30,
          note: `command answered → the same client's GET /enrollments/{id}?consistentWith answered with it, api and worker apart; ${ryw.readYourWrite.count} commands`,
        },
      );
    };
    const readYourWrite = async (api: BenchApi) => {
      log(`read-your-write: ${QUERY_WARMUP} warm-up then ${options.queries} commands, each followed by its query with consistentWith, on 1 connection...`);
      recordReadYourWrite(await measureReadYourWrite(api, shippedReferential(HTTP_REFERENTIAL), { warmup: QUERY_WARMUP, requests: options.queries }, log));
    };

    if (options.only === undefined) {
      log(`loading ≥ ${options.events} events (the 4 référentiels, then generated paths, one append per path)...`);
      const load = await loadPaths(store, options.events, (n) => log(`  ${n} events loaded`));
      log(
        `loaded ${load.events} events (${load.paths} paths) in ${load.seconds.toFixed(1)} s (${Math.round(load.events / load.seconds)} events/s; not measured)`,
      );
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
      if (rebuild.events !== scan.events || scanAfter.events !== scan.events)
        log(`  warning: the rebuild read ${rebuild.events} events, the raw scans ${scanBefore.events} and ${scanAfter.events}`);

      const measured = await measureWritesWithApi(
        database.url,
        home,
        store,
        throughput,
        async () => [
          await rawInsertWorkload(database!.url, 'raw_insert_c1', 1),
          await appendWorkload(store, 'append_c1', 1),
          await rawInsertWorkload(database!.url, 'raw_insert_c4', 4),
          await appendWorkload(store, 'append_c4', 4),
        ],
        (started, startedClient) => ((api = started), (client = startedClient)),
        options.cpuProfileDir,
      );
      api = measured.api;
      const { http, http2, writes, pilotPerSecond, setupSeconds, bare } = measured;
      const raw1 = writes.get('raw_insert_c1')!;
      const append1 = writes.get('append_c1')!;
      const raw4 = writes.get('raw_insert_c4')!;
      const append4 = writes.get('append_c4')!;
      const httpCommand = writes.get(http.name)!;

      log(`PGlite append, in memory (${options.warmupSeconds} s warm-up + ${options.seconds} s)...`);
      const pglite = await pgliteAppend(throughput);

      // The read model the queries run on: ORGANISATION topped up to `enrollments` with generated
      // paths through the port, projected (not measured), then the api's projections running again.
      log(`queries: loading generated paths until ${options.enrollments} enrollments in ${ORGANISATION}...`);
      const organisation = await loadOrganisationPaths(api, home, store, options.enrollments, log);
      log(
        `  ${organisation.paths} paths (${organisation.events} events) appended in ${organisation.seconds.toFixed(1)} s, projected in ${organisation.catchUpSeconds.toFixed(1)} s (not measured)`,
      );
      await sql`VACUUM (ANALYZE)`.execute(home.db);
      await sql`CHECKPOINT`.execute(home.db);
      api.projections.resume();
      await api.projections.settle();
      log(`queries: ${QUERY_WARMUP} warm-up then ${options.queries} timed requests of each, alternately, on 1 connection...`);
      const queries = await measureQueries(api, home, { warmup: QUERY_WARMUP, requests: options.queries });
      log(
        `  path p50 ${queries.path.p50.toFixed(2)} ms p95 ${queries.path.p95.toFixed(2)} ms; list p50 ${queries.list.p50.toFixed(2)} ms p95 ${queries.list.p95.toFixed(2)} ms; assessor's list p95 ${queries.assessorList.p95.toFixed(2)} ms`,
      );

      Object.assign(results, {
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
        ...httpResults(writes, http, http2, bare),
        query_path_p50_ms: round(queries.path.p50, 2),
        query_path_p95_ms: round(queries.path.p95, 2),
        query_list_p50_ms: round(queries.list.p50, 2),
        query_list_p95_ms: round(queries.list.p95, 2),
        query_assessor_list_p95_ms: round(queries.assessorList.p95, 2),
      });
      Object.assign(meta, {
        events: load.events,
        paths: load.paths,
        loadSeconds: round(load.seconds, 2),
        scanEvents: scan.events,
        scanSeconds: [round(scanBefore.seconds, 3), round(scanAfter.seconds, 3)],
        scanPageSize: SCAN_PAGE_SIZE,
        rebuildEvents: rebuild.events,
        rebuildSeconds: round(rebuild.seconds, 3),
        rebuildBatchSize: REBUILD_BATCH_SIZE,
        writeRounds: ROUNDS,
        payloadBytes: Buffer.byteLength(JSON.stringify(payload(0, 0))),
        http: httpMeta(api, http, http2, httpCommand, pilotPerSecond, setupSeconds, bare),
        queries: {
          organisation: ORGANISATION,
          enrollments: queries.enrollments,
          candidatePathRows: queries.tableRows,
          pathsLoaded: organisation.paths,
          eventsLoaded: organisation.events,
          loadSeconds: round(organisation.seconds, 1),
          catchUpSeconds: round(organisation.catchUpSeconds, 1),
          warmup: QUERY_WARMUP,
          requests: options.queries,
          connections: 1,
          path: roundAll(queries.path),
          list: roundAll(queries.list),
          assessorList: { ...roundAll(queries.assessorList), assessors: GENERATED_ASSESSORS, meanPathsPerAssessor: queries.assessorPaths },
          listByKind: Object.fromEntries(Object.entries(queries.listByKind).map(([kind, p]) => [kind, roundAll(p)])),
        },
      });

      log(`console: the first screen, then ${CONSOLE_LIST_CHANGES} filter changes in the list, in headless Chromium...`);
      recordConsole(await measureConsole(api, { changes: CONSOLE_LIST_CHANGES }, log), queries.enrollments);
      await readYourWrite(api);

      metrics.push(
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
        ...httpMetrics(results),
        { name: 'query_path_p50_ms', value: results.query_path_p50_ms, note: `${queries.enrollments} enrollments in ${ORGANISATION}, 1 connection` },
        { name: 'query_path_p95_ms', value: results.query_path_p95_ms, atMost: 20 },
        { name: 'query_list_p50_ms', value: results.query_list_p50_ms, note: 'filter mix: see meta.queries.listByKind' },
        { name: 'query_list_p95_ms', value: results.query_list_p95_ms, atMost: 20 },
        {
          name: 'query_assessor_list_p95_ms',
          value: results.query_assessor_list_p95_ms,
          atMost: 20,
          note: `an assessor's own list, page 1 or 2 (${queries.assessorPaths} paths each on average)`,
        },
      );
      summary.push(`${load.events} events (loaded in ${load.seconds.toFixed(1)} s, not measured)`);
      summary.push(
        `http: ${http.sittingsPrepared} held sittings prepared over HTTP in ${setupSeconds.toFixed(1)} s; queries: ${queries.enrollments} enrollments in ${ORGANISATION} ` +
          `(${organisation.paths} generated paths, ${organisation.events} events, appended in ${organisation.seconds.toFixed(1)} s and projected in ${organisation.catchUpSeconds.toFixed(1)} s; not measured)`,
      );
    }

    if (options.only === 'console') {
      log('publishing the shipped référentiels...');
      await publishShippedReferentials(store);
      api = await startDeployedApi(database.url, home, store);
      log(`console: loading generated paths until ${options.enrollments} enrollments in ${ORGANISATION}...`);
      const organisation = await loadOrganisationPaths(api, home, store, options.enrollments, log);
      log(
        `  ${organisation.paths} paths appended in ${organisation.seconds.toFixed(1)} s, projected in ${organisation.catchUpSeconds.toFixed(1)} s (not measured)`,
      );
      await sql`VACUUM (ANALYZE)`.execute(home.db);
      api.projections.resume();
      await api.projections.settle();
      const enrollments = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM candidate_paths WHERE organisation_id = ${ORGANISATION}`.execute(home.db))
        .rows[0].n;
      log(`console: the first screen, then ${CONSOLE_LIST_CHANGES} filter changes in the list, in headless Chromium...`);
      recordConsole(await measureConsole(api, { changes: CONSOLE_LIST_CHANGES }, log), enrollments);
    }

    if (options.only === 'read-your-write') {
      log('publishing the shipped référentiels...');
      await publishShippedReferentials(store);
      api = await startDeployedApi(database.url, home, store);
      await readYourWrite(api);
    }

    if (options.only === 'http') {
      log('publishing the shipped référentiels...');
      await publishShippedReferentials(store);
      const measured = await measureWritesWithApi(
        database.url,
        home,
        store,
        throughput,
        async () => [await rawInsertWorkload(database!.url, 'raw_insert_c4', 4), await appendWorkload(store, 'append_c4', 4)],
        (started, startedClient) => ((api = started), (client = startedClient)),
        options.cpuProfileDir,
      );
      api = measured.api;
      const { http, http2, writes, pilotPerSecond, setupSeconds, bare } = measured;
      const httpCommand = writes.get(http.name)!;
      Object.assign(results, {
        raw_insert_c4_per_s: round(writes.get('raw_insert_c4')!.perSecond, 1),
        append_c4_per_s: round(writes.get('append_c4')!.perSecond, 1),
        ...httpResults(writes, http, http2, bare),
      });
      Object.assign(meta, { writeRounds: ROUNDS, http: httpMeta(api, http, http2, httpCommand, pilotPerSecond, setupSeconds, bare) });
      metrics.push(
        { name: 'raw_insert_c4_per_s', value: results.raw_insert_c4_per_s },
        { name: 'append_c4_per_s', value: results.append_c4_per_s },
        ...httpMetrics(results),
      );
      summary.push(`http: ${http.sittingsPrepared} held sittings prepared over HTTP in ${setupSeconds.toFixed(1)} s (not measured)`);
    }

    if (options.only === undefined || options.only === 'accrochage') {
      log(`accrochage: ${options.holders} awards appended and projected (not measured), then declared in one flux, against a raw pass...`);
      const accrochage = await measureAccrochage(home, store, options.holders, log);
      Object.assign(results, {
        accrochage_export_per_s: round(accrochage.export.perSecond, 1),
        accrochage_export_s: round(accrochage.export.seconds, 2),
        accrochage_raw_per_s: round(accrochage.raw.perSecond, 1),
        accrochage_export_ratio: round(accrochage.export.perSecond / accrochage.raw.perSecond, 3),
        accrochage_peak_heap_growth_mb: round(accrochage.peakHeapGrowthMb, 1),
      });
      Object.assign(meta, { accrochage: { holders: accrochage.holders, setupSeconds: round(accrochage.setupSeconds, 1), fluxBytes: accrochage.export.bytes } });
      metrics.push(
        { name: 'accrochage_export_per_s', value: results.accrochage_export_per_s, note: `${accrochage.holders} holders in one flux` },
        { name: 'accrochage_export_s', value: results.accrochage_export_s, atMost: 10, note: 'the whole export' },
        { name: 'accrochage_export_ratio', value: results.accrochage_export_ratio, note: 'to accrochage_raw_per_s (plain SQL reads, nothing opened)' },
        {
          name: 'accrochage_peak_heap_growth_mb',
          value: results.accrochage_peak_heap_growth_mb,
          note: `heap above its level before the export; the flux is ${(accrochage.export.bytes / 1024 / 1024).toFixed(1)} MB`,
        },
      );
    }

    if (options.only === undefined || options.only === 'import') {
      log(`import: a cohort file of ${options.importRows} rows imported by the api's import, against parsing it alone...`);
      const imported = await measureImport(database.url, options.importRows, log);
      Object.assign(results, {
        import_rows_per_s: round(imported.deployed.perSecond, 1),
        import_s: round(imported.deployed.seconds, 2),
        import_projected_s: round(imported.deployed.projectedSeconds, 2),
        import_one_process_s: round(imported.oneProcess.seconds, 2),
        import_parse_rows_per_s: round(imported.parse.perSecond, 1),
        import_ratio: round(imported.deployed.perSecond / imported.parse.perSecond, 4),
        import_peak_heap_growth_mb: round(Math.max(imported.deployed.peakHeapGrowthMb, imported.oneProcess.peakHeapGrowthMb), 1),
      });
      Object.assign(meta, { import: { rows: imported.rows, fileBytes: imported.fileBytes } });
      metrics.push(
        {
          name: 'import_rows_per_s',
          value: results.import_rows_per_s,
          note: `${imported.rows} rows: each checked, decided, registered and enrolled (api and worker, as deployed)`,
        },
        {
          name: 'import_s',
          value: results.import_s,
          atMost: 30,
          note: `the whole ${imported.rows}-row file, as deployed: the api imports, a worker runs the projections`,
        },
        { name: 'import_projected_s', value: results.import_projected_s, note: 'from the start of that import until the worker had projected all of it' },
        {
          name: 'import_one_process_s',
          value: results.import_one_process_s,
          note: 'the same file in one process that runs its projections too (as npm start)',
        },
        { name: 'import_ratio', value: results.import_ratio, note: 'to import_parse_rows_per_s (csv-parse and the column map alone)' },
        {
          name: 'import_peak_heap_growth_mb',
          value: results.import_peak_heap_growth_mb,
          note: `heap above its level before the import, the higher of the two (streamed from a ${(imported.fileBytes / 1024 / 1024).toFixed(1)} MB file; the report keeps a line per row)`,
        },
      );
    }

    // Issuance last, on the same database: the api and the worker are stopped first, or the issuance
    // process manager would enqueue the decisions appended here into its own queue.
    await api?.close();
    api = undefined;
    if (options.only === 'issuance') {
      log('publishing the shipped référentiels (what the generated paths are pinned to)...');
      await publishShippedReferentials(store);
    }
    if (options.only === undefined || options.only === 'issuance') {
      await sql`CHECKPOINT`.execute(home.db);
      log(
        `issuance: ${ISSUANCE_WORKERS} worker processes, ${options.decisions} decisions in ${ROUNDS} rounds alternating with ${options.seconds} s of rendering in all (${options.warmupSeconds} s warm-up)...`,
      );
      const issuance = await measureIssuance(
        home,
        store,
        database.url,
        {
          decisions: options.decisions,
          rounds: ROUNDS,
          seconds: options.seconds,
          warmupSeconds: options.warmupSeconds,
          workers: ISSUANCE_WORKERS,
          concurrency: options.issuanceConcurrency,
          redisUrl: REDIS_URL,
          statusListRevocations: STATUS_LIST_REVOCATIONS,
        },
        log,
      );
      Object.assign(results, {
        render_per_s: round(issuance.render.perSecond, 1),
        issuance_per_s: round(issuance.issuance.perSecond, 1),
        issuance_ratio: round(issuance.issuance.perSecond / (issuance.render.perSecond * ISSUANCE_WORKERS), 3),
        status_list_update_ms: round(p95(issuance.statusListUpdate.ms), 1),
      });
      // What the ratio would be with the whole machine to the pipeline and every process CPU-bound:
      // the rendering's CPU per document over the pipeline's CPU per decision (all its processes).
      const pipelineCpuMs = Object.values(issuance.cpuMsPerDecision).reduce((a, b) => a + b, 0);
      const cpuCeiling = issuance.renderCpuMsPerDocument / pipelineCpuMs;
      meta.issuance = {
        feed: "decisions appended (BlocValidated, CertificationAwarded of generated paths, candidates registered), then createIssuanceProcess fed by a ProjectionRunner (default batch size and poll interval) enqueues into BullMQ; clock from the runner's start to the completion of the round's last job (each worker prints the jobs BullMQ records complete, after their DocumentIssued append; checked in SQL after each round)",
        workers: ISSUANCE_WORKERS,
        workerConcurrency: options.issuanceConcurrency ?? 'startIssuanceWorker default',
        rounds: issuance.issuance.rounds.map((r) => ({ decisions: r.decisions, seconds: round(r.seconds, 3) })),
        warmup: { decisions: issuance.warmup.decisions, seconds: round(issuance.warmup.seconds, 3) },
        renderOperations: issuance.render.operations,
        renderModels: {
          count: issuance.render.models,
          attestations: issuance.render.attestations,
          certificates: issuance.render.certificates,
          meanPdfBytes: issuance.render.meanPdfBytes,
          meanCredentialBytes: issuance.render.meanCredentialBytes,
        },
        setup: {
          paths: issuance.setup.paths,
          events: issuance.setup.events,
          appendSeconds: round(issuance.setup.appendSeconds, 1),
          workersReadySeconds: round(issuance.setup.workersReadySeconds, 1),
        },
        workerStats: issuance.workers,
        cpuMsPerDecision: Object.fromEntries(Object.entries(issuance.cpuMsPerDecision).map(([process, ms]) => [process, round(ms, 2)])),
        renderCpuMsPerDocument: round(issuance.renderCpuMsPerDocument, 2),
        cpuCeilingRatio: round(cpuCeiling, 3),
        ...(issuance.machineBusyDuringRounds !== undefined ? { machineBusyDuringRounds: round(issuance.machineBusyDuringRounds, 3) } : {}),
        ...(issuance.othersShareDuringRounds !== undefined ? { othersShareDuringRounds: round(issuance.othersShareDuringRounds, 3) } : {}),
        documentFiles: issuance.documentFiles,
        redis: issuance.redis,
        statusListUpdate: {
          feed: "after the warm-up round, one at a time: the jury's annulment of an issued attestation's bloc (decider, enrollment stream, runner woken), the issuance process manager's revoke job, a worker's DocumentRevoked, the status-list projection (polling for the worker's append), until the list as published (read, encoded, signed) has the bit; polled every 5 ms",
          revocations: issuance.statusListUpdate.ms.length,
          ms: issuance.statusListUpdate.ms.map((ms) => round(ms, 1)),
        },
      };
      metrics.push(
        { name: 'render_per_s', value: results.render_per_s, note: 'renderPdf + issueCredential, in-process, one at a time' },
        {
          name: 'issuance_per_s',
          value: results.issuance_per_s,
          note: `decision to DocumentIssued, ProjectionRunner → BullMQ → ${ISSUANCE_WORKERS} worker processes (concurrency ${options.issuanceConcurrency ?? 'default'})`,
        },
        { name: 'issuance_ratio', value: results.issuance_ratio, target: 0.6, note: `to render_per_s × ${ISSUANCE_WORKERS}` },
        {
          name: 'status_list_update_ms',
          value: results.status_list_update_ms,
          note: `p95 of ${issuance.statusListUpdate.ms.length} annulments: command to the bit set in the published status list (process manager → BullMQ → worker → projection)`,
        },
      );
      summary.push(
        `issuance: ${issuance.setup.paths} generated paths (${issuance.setup.events} events, appended in ${issuance.setup.appendSeconds.toFixed(1)} s, not measured); ` +
          `${issuance.issuance.decisions} decisions measured after ${issuance.warmup.decisions} warm-up; ${issuance.documentFiles} document files written`,
        `issuance CPU ms per decision: ${pipelineCpuMs.toFixed(1)} (${Object.entries(issuance.cpuMsPerDecision)
          .map(([process, ms]) => `${process} ${ms.toFixed(1)}`)
          .join(
            ', ',
          )}); rendering alone ${issuance.renderCpuMsPerDocument.toFixed(1)} ms per document, so a ratio of ${cpuCeiling.toFixed(2)} at best on an idle machine` +
          (issuance.machineBusyDuringRounds !== undefined ? `; machine ${Math.round(issuance.machineBusyDuringRounds * 100)}% busy during the rounds` : '') +
          (issuance.othersShareDuringRounds !== undefined ? `, ${Math.round(issuance.othersShareDuringRounds * 100)}% of it by other processes` : ''),
      );
    }

    const runSeconds = (performance.now() - runStarted) / 1000;
    meta.loadAverage = { start: loadAtStart, end: loadavg().map((n) => round(n, 2)) };
    meta.runSeconds = round(runSeconds, 1);
    console.log(formatTable(metrics));
    for (const line of summary) console.log(line);
    console.log(`run took ${runSeconds.toFixed(1)} s`);
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
