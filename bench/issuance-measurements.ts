import { DataKeys, enrollmentCommandHandler, masterKeysOrThrowaway, PersonalDataVault } from '@jalon/privacy';
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sql } from 'kysely';
import { loadCatalogue } from '@jalon/catalogue';
import {
  CandidateIdentity,
  decideCandidate,
  candidateStreamId,
  EnrollmentEvent,
  foldEnrollment,
  initialCandidateState,
  isWithheld,
  SEXES,
} from '@jalon/domain';
import { fromRecorded, NewEvent, SqlDatabase, SqlEventStore } from '@jalon/event-store';
import {
  connect,
  createIssuanceProcess,
  createStatusListProjection,
  jobIdOf,
  FolderDocumentStorage,
  generateIssuerKey,
  Issuance,
  ISSUANCE_PROCESS,
  IssuanceQueue,
  IssuedDocumentModel,
  IssueJob,
  issueCredential,
  IssuerKey,
  issuerKeySigner,
  renderPdf,
  STATUS_LIST_PROJECTION,
  StatusListPublisher,
  StatusLists,
} from '@jalon/issuance';
import { ProjectionRunner } from '@jalon/projections';
import { generatePath, prng, publishReferential, toNewEvents } from '../libs/read-models/src/testing/generate-paths';
import { ReferentialResolver } from '../libs/runtime/src/referential-resolver.service';
import { skipHistory } from './deployed-api';
import type { WorkerStats } from './issuance-worker.process';
import { measureStatusListUpdates, StatusListUpdateResult } from './status-list-measurements';
import { createWorkload, ThroughputResult, timed } from './throughput';
import { BENCH_MASTER_KEYS } from './bench-master-keys';

const REPO_ROOT = resolve(__dirname, '..');
const WORKER_ENTRY = join(__dirname, 'issuance-worker.process.ts');
const PUBLIC_BASE_URL = 'https://jalon.example.org';
const ISSUER_SLUG = 'jalon';
const DECISION_TYPES = new Set(['BlocValidated', 'CertificationAwarded']);
/** No job completed for this long while some are missing: the round is stuck (failed jobs, a dead worker). */
const STALL_MS = 60_000;

// Names as a French certifier's candidates have them: accents, ligatures, compound names, and
// letters of other Latin alphabets (Vietnamese, Polish), printed as they are with the embedded font.
const BIRTH_NAMES = [
  'Martin',
  'Bernard',
  'Lefèvre',
  'Nguyễn',
  'Dubois',
  'Moreau',
  'Lambert',
  'Fontaine',
  'Rousseau',
  'Benali',
  'Da Silva',
  'Le Goff',
  'Kowalski',
  'Mercier',
  'Faure',
  'André',
  'Chevalier',
  'Bonnet',
  'Dœuf',
  'Garçon',
  "N'Diaye",
  'Özdemir',
  'Haddad',
  'Petit-Jean',
];
const FIRST_NAMES = [
  'Anaïs',
  'Hélène',
  'Léa',
  'Jean-Michel',
  'Łukasz',
  'Chloé',
  'Noé',
  'Inès',
  'Raphaël',
  'Zoé',
  'Maël',
  'Françoise',
  'Thibault',
  'Aïcha',
  'Jérôme',
  'Océane',
  'Karim',
  'Benoît',
  'Marie',
  'Élodie',
  'Sébastien',
  'Ilyès',
];
const PLACES = ['Lyon (69)', 'Paris (75)', 'Lille (59)', 'Saint-Étienne (42)', 'Nantes (44)', 'Alger (Algérie)', 'Dakar (Sénégal)'];

function identityOf(random: () => number, n: number): CandidateIdentity {
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
  const firstNames = Array.from({ length: 1 + Math.floor(random() * random() * 3) }, () => pick(FIRST_NAMES));
  const year = 1965 + Math.floor(random() * 40);
  const birthDate = `${year}-${String(1 + Math.floor(random() * 12)).padStart(2, '0')}-${String(1 + Math.floor(random() * 28)).padStart(2, '0')}`;
  return {
    birthName: pick(BIRTH_NAMES),
    ...(random() < 0.2 ? { usageName: pick(BIRTH_NAMES) } : {}),
    firstNames,
    birthDate,
    sex: pick(SEXES),
    birthPlace: pick(PLACES),
    email: `candidat${n}@example.org`,
  };
}

/** Enrollment streams appended for a round, and the decisions in them (what the workers must issue). */
export interface DecisionBatch {
  readonly streams: readonly string[];
  readonly decisions: readonly IssueJob[];
  readonly paths: number;
  readonly events: number;
  readonly seconds: number;
}

/**
 * Generated paths (the real decider, over the shipped référentiels in turn) until at least `target`
 * decisions (BlocValidated, CertificationAwarded), each candidate registered first on its own
 * stream (the real candidate decider), a few writers at once.
 */
async function appendDecisionPaths(store: SqlEventStore, random: () => number, target: number, counter: { paths: number }): Promise<DecisionBatch> {
  const { entries } = loadCatalogue();
  const streams: string[] = [];
  const decisions: IssueJob[] = [];
  let events = 0;
  let paths = 0;
  const { seconds } = await timed(async () => {
    const writer = async () => {
      while (decisions.length < target) {
        const n = counter.paths++;
        paths++;
        const entry = entries[n % entries.length];
        const path = generatePath(entry.referential, random, { organisationId: `org-${1 + (n % 5)}` });
        const enrolled = path.events[0] as Extract<EnrollmentEvent, { type: 'CandidateEnrolled' }>;
        const newEvents = toNewEvents(path.events);
        const found = newEvents.filter((e) => DECISION_TYPES.has(e.type));
        if (found.length === 0) continue;
        for (const event of found)
          decisions.push({ kind: event.type === 'BlocValidated' ? 'attestation' : 'certificate', enrollmentId: path.enrollmentId, decisionEventId: event.id });
        streams.push(path.streamId);
        const registration: NewEvent[] = decideCandidate(
          {
            type: 'RegisterCandidate',
            data: {
              candidateId: enrolled.data.candidateId,
              organisationId: enrolled.data.organisationId,
              identity: identityOf(random, n),
              by: enrolled.data.by,
              now: '2026-01-02T09:00:00.000Z',
            },
          },
          initialCandidateState(),
        ).map((event) => ({ id: randomUUID(), type: event.type, data: event.data, metadata: { actor: event.data.by, occurredAt: event.data.at } }));
        await store.append(candidateStreamId(enrolled.data.candidateId), registration, { expectedRevision: 'no_stream' });
        await store.append(path.streamId, newEvents, { expectedRevision: 'no_stream' });
        events += registration.length + newEvents.length;
      }
    };
    await Promise.all([writer(), writer(), writer(), writer()]);
  });
  return { streams, decisions, paths, events, seconds };
}

/** The document models of `jobs`, built by Issuance from the log, as the worker builds them. */
async function modelsOf(issuance: Issuance, store: SqlEventStore, jobs: readonly IssueJob[]): Promise<IssuedDocumentModel[]> {
  const models: IssuedDocumentModel[] = [];
  for (const job of jobs) {
    const events = await store.readStream(`enrollment-${job.enrollmentId}`);
    const state = foldEnrollment(events.map((e) => fromRecorded<EnrollmentEvent>(e)));
    if (state.status === 'none') throw new Error(`enrollment ${job.enrollmentId} is empty`);
    const holder = await issuance.holder(state.candidateId);
    if (isWithheld(holder)) throw new Error(`candidate ${state.candidateId} is erased`);
    models.push({ ...(await issuance.facts(job, state, events)), candidate: holder });
  }
  return models;
}

interface WorkerProcess {
  readonly child: ChildProcess;
  readonly stdout: () => string;
  readonly stderr: () => string;
}

/**
 * `count` worker processes (issuance-worker.process.ts), resolved once every one printed `ready`;
 * each is pushed to `started` as soon as it is spawned, so the caller stops them even if this fails.
 */
async function startWorkers(
  count: number,
  env: Record<string, string>,
  log: (message: string) => void,
  completions: Completions,
  started: WorkerProcess[],
  timeoutMs = 120_000,
): Promise<void> {
  const workers = Array.from({ length: count }, (_, i): WorkerProcess => {
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', WORKER_ENTRY], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env, TS_NODE_TRANSPILE_ONLY: 'true' },
      // stdin stays open: the worker exits when it closes, should this process die without stopping it.
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let partial = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop()!;
      for (const line of lines) {
        if (line.startsWith('completed ')) completions.completed(line.slice('completed '.length));
        else out += `${line}\n`;
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      err += chunk.toString();
      // Failed jobs and crashes, as they happen (a job that fails is retried after a back-off: it shows in the speed).
      for (const line of chunk.toString().split('\n')) {
        if (!line.trim()) continue;
        if (line.startsWith('issuance job ')) completions.failed(line.trim());
        log(`  worker ${i + 1}: ${line.trim().slice(0, 300)}`);
      }
    });
    const worker = { child, stdout: () => out, stderr: () => err };
    started.push(worker);
    return worker;
  });
  await Promise.all(
    workers.map(
      (worker, i) =>
        new Promise<void>((resolveReady, reject) => {
          const timer = setTimeout(() => reject(new Error(`issuance worker ${i + 1} not ready after ${timeoutMs} ms`)), timeoutMs);
          const onData = () => {
            if (worker.stdout().split('\n').includes('ready')) {
              clearTimeout(timer);
              worker.child.stdout!.off('data', onData);
              resolveReady();
            }
          };
          worker.child.stdout!.on('data', onData);
          worker.child.once('exit', (code, signal) => {
            clearTimeout(timer);
            reject(new Error(`issuance worker ${i + 1} exited before ready (code ${code}, signal ${signal})`));
          });
        }),
    ),
  );
}

/** SIGTERM, then the `stats` line each worker prints as it stops; SIGKILL after `timeoutMs`. */
async function stopWorkers(workers: readonly WorkerProcess[], timeoutMs = 30_000): Promise<(WorkerStats | undefined)[]> {
  return Promise.all(
    workers.map(async (worker) => {
      if (worker.child.exitCode === null && worker.child.signalCode === null) {
        await new Promise<void>((resolveExit) => {
          const timer = setTimeout(() => worker.child.kill('SIGKILL'), timeoutMs);
          worker.child.once('exit', () => {
            clearTimeout(timer);
            resolveExit();
          });
          worker.child.kill('SIGTERM');
        });
      }
      const line = worker
        .stdout()
        .split('\n')
        .find((l) => l.startsWith('stats '));
      return line ? (JSON.parse(line.slice('stats '.length)) as WorkerStats) : undefined;
    }),
  );
}

/**
 * The jobs completed, as the workers announce them on their stdout (`completed <jobId>`, once BullMQ
 * has recorded the job complete, so after its append): pushed, no polling of PostgreSQL or Redis
 * that would take CPU from the workers.
 */
class Completions {
  private readonly done = new Set<string>();
  private listener?: (jobId: string) => void;
  private lastAt = performance.now();
  private readonly failures: string[] = [];

  completed(jobId: string): void {
    this.done.add(jobId);
    this.lastAt = performance.now();
    this.listener?.(jobId);
  }

  failed(description: string): void {
    this.failures.push(description);
  }

  /** Resolves when every job of `ids` has completed; rejects when none completes for STALL_MS. */
  wait(ids: readonly string[], describe: () => Promise<string>): Promise<void> {
    const remaining = new Set(ids.filter((id) => !this.done.has(id)));
    if (remaining.size === 0) return Promise.resolve();
    this.lastAt = performance.now();
    return new Promise<void>((resolveAll, reject) => {
      const stall = setInterval(() => {
        if (performance.now() - this.lastAt < STALL_MS) return;
        finish();
        void describe().then(
          (state) =>
            reject(
              new Error(
                `issuance stalled: ${ids.length - remaining.size}/${ids.length} jobs completed, none for ${STALL_MS / 1000} s; ${state}; last failures: ${this.failures.slice(-3).join('; ')}`,
              ),
            ),
          reject,
        );
      }, 1000);
      const finish = () => {
        clearInterval(stall);
        this.listener = undefined;
      };
      this.listener = (jobId) => {
        if (remaining.delete(jobId) && remaining.size === 0) {
          finish();
          resolveAll();
        }
      };
    });
  }
}

/** Busy and total jiffies of the whole machine (every process, ours or not), from /proc/stat. */
function machineCpu(): { busy: number; total: number } | undefined {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const idle = fields[3] + (fields[4] ?? 0);
    const total = fields.reduce((a, b) => a + b, 0);
    return { busy: total - idle, total };
  } catch {
    return undefined;
  }
}

/** Clock ticks per second of /proc's CPU times (USER_HZ: 100 on Linux). */
const CLK_TCK = 100;

/** CPU ms (user + system) of a process from /proc/<pid>/stat, undefined if it is not readable. */
function processCpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK;
  } catch {
    return undefined;
  }
}

/**
 * CPU ms of the PostgreSQL backends serving this database (the workers', the runner's) and of the
 * Redis server, read from /proc: both run on this machine. Redis may serve others meanwhile.
 */
async function serverCpu(home: SqlDatabase, redisPid: number | undefined): Promise<{ postgres: Map<number, number>; redis?: number }> {
  const { rows } = await sql<{ pid: number }>`SELECT pid FROM pg_stat_activity WHERE datname = current_database()`.execute(home.db);
  const postgres = new Map<number, number>();
  for (const { pid } of rows) {
    const ms = processCpuMs(pid);
    if (ms !== undefined) postgres.set(pid, ms);
  }
  const redis = redisPid === undefined ? undefined : processCpuMs(redisPid);
  return { postgres, ...(redis !== undefined ? { redis } : {}) };
}

/** CPU ms spent between two samples; a backend that appeared meanwhile counts whole (it started in the window). */
function serverCpuSpent(
  before: { postgres: Map<number, number>; redis?: number },
  after: { postgres: Map<number, number>; redis?: number },
): { postgres: number; redis?: number } {
  let postgres = 0;
  for (const [pid, ms] of after.postgres) postgres += ms - (before.postgres.get(pid) ?? 0);
  return { postgres, ...(before.redis !== undefined && after.redis !== undefined ? { redis: after.redis - before.redis } : {}) };
}

export interface IssuanceOptions {
  /** Decisions issued in the measured rounds, in all (a warm-up round comes first). */
  readonly decisions: number;
  readonly rounds: number;
  /** Rendering, in all, split over the rounds. */
  readonly seconds: number;
  readonly warmupSeconds: number;
  readonly workers: number;
  /** The worker's concurrency; undefined: startIssuanceWorker's default, as RuntimeModule runs it. */
  readonly concurrency?: number;
  readonly redisUrl: string;
  /** Revocations timed one after the other for status_list_update_ms (after the warm-up round). */
  readonly statusListRevocations: number;
}

export interface IssuanceRound {
  readonly decisions: number;
  readonly seconds: number;
}

export interface IssuanceResult {
  readonly render: ThroughputResult & {
    readonly models: number;
    readonly attestations: number;
    readonly certificates: number;
    readonly meanPdfBytes: number;
    readonly meanCredentialBytes: number;
  };
  readonly issuance: ThroughputResult & { readonly decisions: number; readonly rounds: readonly IssuanceRound[] };
  readonly warmup: IssuanceRound;
  readonly setup: { readonly paths: number; readonly events: number; readonly appendSeconds: number; readonly workersReadySeconds: number };
  readonly workers: readonly (WorkerStats | undefined)[];
  /**
   * CPU ms per decision during the rounds, by process: the bench (projection runner enqueueing,
   * polling), the PostgreSQL backends of this database, the Redis server (shared with whoever else
   * uses it), and the workers (from their own counters); with the rendering's CPU ms per document
   * in this process, for comparison.
   */
  readonly cpuMsPerDecision: { readonly bench: number; readonly postgres?: number; readonly redis?: number; readonly workers?: number };
  readonly renderCpuMsPerDocument: number;
  /** Share of the machine's CPU busy during the rounds (all processes, from /proc/stat), 0–1. */
  readonly machineBusyDuringRounds?: number;
  /** Of the machine's CPU during the rounds, the share busy with processes other than the pipeline's (the machine is shared), 0–1. */
  readonly othersShareDuringRounds?: number;
  readonly documentFiles: number;
  readonly redis: { readonly prefix: string; readonly evictionPolicy: string };
  readonly statusListUpdate: StatusListUpdateResult;
}

/**
 * render_per_s: renderPdf + issueCredential of realistic models (built by Issuance.model from
 * generated paths in the log), in this process, one at a time. issuance_per_s: decisions in the log
 * to their DocumentIssued events, through createIssuanceProcess fed by a ProjectionRunner (as the
 * service runs it: enqueueing in the runner's batch transaction), BullMQ on Redis (a prefix of its
 * own) and `workers` worker processes (issuance-worker.process.ts), documents in a temporary folder.
 *
 * Each round appends a fresh batch of decisions (not measured), then starts the clock and the
 * runner, and stops the clock when every decision of the batch has its DocumentIssued event; the
 * rendering is measured in slices between the rounds, so both see the machine in the same state.
 */
export async function measureIssuance(
  home: SqlDatabase,
  store: SqlEventStore,
  databaseUrl: string,
  options: IssuanceOptions,
  log: (message: string) => void,
): Promise<IssuanceResult> {
  const prefix = `jalon-bench-issuance-${randomBytes(4).toString('hex')}`;
  const settings = { url: options.redisUrl, prefix };
  const redis = connect(settings);
  const queue = new IssuanceQueue(redis, settings);
  const completions = new Completions();
  const documentsDir = mkdtempSync(join(tmpdir(), 'jalon-bench-documents-'));
  const key: IssuerKey = generateIssuerKey(`${PUBLIC_BASE_URL}/issuer`, 'Jalon');
  // As the service runs them: the process manager, and the status lists' projection of the revocations.
  const runner = new ProjectionRunner(home.db, store, [createIssuanceProcess((jobs) => queue.enqueueAll(jobs)), createStatusListProjection()], {
    logger: { log: () => undefined, error: (message) => log(`  issuance process: ${message}`) },
  });
  const workers: WorkerProcess[] = [];
  try {
    const evictionPolicy = await queue.evictionPolicy();
    const redisPid = Number(/process_id:(\d+)/.exec(await redis.info('server'))?.[1]) || undefined;
    await runner.prepare();
    // Decisions already in the log (the bench's generated history) are not this measurement's.
    await skipHistory(home, store, [ISSUANCE_PROCESS, STATUS_LIST_PROJECTION]);

    const random = prng(20260601);
    const counter = { paths: 0 };
    const perRound = Math.ceil(options.decisions / options.rounds);
    const warmupDecisions = Math.max(100, Math.ceil(perRound / 4));
    let appendSeconds = 0;
    let events = 0;
    const append = async (target: number) => {
      const batch = await appendDecisionPaths(store, random, target, counter);
      appendSeconds += batch.seconds;
      events += batch.events;
      return batch;
    };

    // The workers start (ts-node compiles) while the warm-up batch is appended.
    log(`  starting ${options.workers} worker processes (concurrency ${options.concurrency ?? 'default'}); appending ${warmupDecisions} warm-up decisions...`);
    const workersReady = timed(() =>
      startWorkers(
        options.workers,
        {
          DATABASE_URL: databaseUrl,
          MASTER_KEYS: BENCH_MASTER_KEYS,
          REDIS_URL: options.redisUrl,
          REDIS_PREFIX: prefix,
          DOCUMENTS_DIR: documentsDir,
          ISSUER_SIGNING_KEY: key.privateKeyPem,
          PUBLIC_BASE_URL,
          ISSUER_SLUG,
          ...(options.concurrency ? { ISSUANCE_CONCURRENCY: String(options.concurrency) } : {}),
        },
        log,
        completions,
        workers,
      ),
    );
    workersReady.catch(() => undefined);
    const warmBatch = await append(warmupDecisions);

    // The rendering's models: the warm-up batch's decisions, as the worker would build them.
    const resolver = new ReferentialResolver(store);
    const builderVault = new PersonalDataVault(new DataKeys(home.db, masterKeysOrThrowaway(BENCH_MASTER_KEYS)));
    const builder = new Issuance({
      store,
      enrollments: enrollmentCommandHandler(store, builderVault),
      documents: new FolderDocumentStorage(documentsDir),
      referential: (id, version) => resolver.resolve(id, version),
      key,
      publicBaseUrl: PUBLIC_BASE_URL,
      vault: builderVault,
    });
    const models = await modelsOf(builder, store, warmBatch.decisions);
    let sizes = { pdf: 0, credential: 0 };
    for (const model of models) {
      sizes = { pdf: sizes.pdf + (await renderPdf(model)).length, credential: sizes.credential + Buffer.byteLength(issueCredential(model, key)) };
    }
    let next = 0;
    const render = await createWorkload('render', 1, async () => ({
      op: async () => {
        const model = models[next++ % models.length];
        await renderPdf(model);
        issueCredential(model, key);
      },
    }));

    const ready = await workersReady;
    log(`  workers ready in ${ready.seconds.toFixed(1)} s`);

    const issueRound = async (batch: DecisionBatch): Promise<IssuanceRound> => {
      const expected = batch.decisions.length;
      const started = performance.now();
      runner.start();
      try {
        await completions.wait(
          batch.decisions.map((d) => jobIdOf({ type: 'issue', job: d })),
          async () => `queue ${JSON.stringify(await queue.counts())}; failed: ${JSON.stringify((await queue.failed(3)).map((f) => f.error))}`,
        );
      } finally {
        await runner.stop();
      }
      const seconds = (performance.now() - started) / 1000;
      // Outside the window: every decision's DocumentIssued is in the log (a job completed is one
      // whose append succeeded: this only guards the bench itself), and the process manager
      // records those it has not seen yet.
      const issued = (
        await sql<{
          n: number;
        }>`SELECT count(*)::int AS n FROM events WHERE stream_id = ANY(${batch.streams}::text[]) AND event_type = 'DocumentIssued'`.execute(home.db)
      ).rows[0].n;
      if (issued !== expected) throw new Error(`${expected} issuance jobs completed but ${issued} DocumentIssued events recorded`);
      await runner.catchUp(ISSUANCE_PROCESS);
      return { decisions: expected, seconds };
    };

    log(`  warm-up: rendering ${options.warmupSeconds} s, then ${warmBatch.decisions.length} decisions issued...`);
    if (options.warmupSeconds > 0) await render.run(options.warmupSeconds);
    const warmup = await issueRound(warmBatch);
    log(`  warm-up issuance: ${warmup.decisions} in ${warmup.seconds.toFixed(2)} s (${Math.round(warmup.decisions / warmup.seconds)}/s, not counted)`);

    // Revocations of the warm-up's attestations, timed to the published list; before the workers'
    // counters are reset, so that the measured rounds' statistics hold issue jobs only.
    log(`  status list: ${options.statusListRevocations} annulments, each timed to its bit in the published list...`);
    const statusLists = new StatusLists(home.db, { issuerSlug: ISSUER_SLUG, publicBaseUrl: PUBLIC_BASE_URL });
    runner.start();
    let statusListUpdate: StatusListUpdateResult;
    try {
      statusListUpdate = await measureStatusListUpdates(
        enrollmentCommandHandler(store, builderVault),
        resolver,
        statusLists,
        new StatusListPublisher(statusLists, issuerKeySigner(key)),
        runner,
        warmBatch.decisions,
        options.statusListRevocations,
      );
    } finally {
      await runner.stop();
    }
    await runner.catchUp();
    log(`  status list: ${statusListUpdate.ms.length} revocations, ${statusListUpdate.ms.map((ms) => Math.round(ms)).join(', ')} ms`);
    for (const worker of workers) worker.child.kill('SIGUSR2');

    const slice = options.seconds / options.rounds;
    let rendered = 0;
    let renderCpuMicros = 0;
    const rounds: IssuanceRound[] = [];
    let cpuMicros = 0;
    let postgresCpuMs: number | undefined = 0;
    let redisCpuMs: number | undefined = 0;
    let machineBusy = 0;
    let machineTotal = 0;
    for (let round = 0; round < options.rounds; round++) {
      const renderCpu = process.cpuUsage();
      rendered += await render.run(slice);
      const renderCpuSpent = process.cpuUsage(renderCpu);
      renderCpuMicros += renderCpuSpent.user + renderCpuSpent.system;
      const batch = await append(perRound);
      const serversBefore = await serverCpu(home, redisPid);
      const cpuBefore = process.cpuUsage();
      const machineBefore = machineCpu();
      rounds.push(await issueRound(batch));
      const cpu = process.cpuUsage(cpuBefore);
      cpuMicros += cpu.user + cpu.system;
      const servers = serverCpuSpent(serversBefore, await serverCpu(home, redisPid));
      postgresCpuMs = postgresCpuMs === undefined || servers.postgres === 0 ? undefined : postgresCpuMs + servers.postgres;
      redisCpuMs = redisCpuMs === undefined || servers.redis === undefined ? undefined : redisCpuMs + servers.redis;
      const machineAfter = machineCpu();
      if (machineBefore && machineAfter) {
        machineBusy += machineAfter.busy - machineBefore.busy;
        machineTotal += machineAfter.total - machineBefore.total;
      }
      const issued = rounds.reduce((n, r) => n + r.decisions, 0);
      const issueSeconds = rounds.reduce((n, r) => n + r.seconds, 0);
      log(
        `  round ${round + 1}/${options.rounds}: render ${Math.round(rendered / (slice * (round + 1)))}/s, issuance ${Math.round(issued / issueSeconds)}/s (${batch.decisions.length} decisions in ${rounds[round].seconds.toFixed(2)} s)`,
      );
    }
    const stats = await stopWorkers(workers);
    const documentFiles = readdirSync(documentsDir).filter((f) => statSync(join(documentsDir, f)).isFile()).length;
    const decisions = rounds.reduce((n, r) => n + r.decisions, 0);
    const issueSeconds = rounds.reduce((n, r) => n + r.seconds, 0);
    return {
      render: {
        operations: rendered,
        seconds: options.seconds,
        perSecond: rendered / options.seconds,
        models: models.length,
        attestations: models.filter((m) => m.kind === 'attestation').length,
        certificates: models.filter((m) => m.kind === 'certificate').length,
        meanPdfBytes: Math.round(sizes.pdf / models.length),
        meanCredentialBytes: Math.round(sizes.credential / models.length),
      },
      issuance: { operations: decisions, decisions, seconds: issueSeconds, perSecond: decisions / issueSeconds, rounds },
      warmup,
      setup: { paths: counter.paths, events, appendSeconds, workersReadySeconds: ready.seconds },
      workers: stats,
      cpuMsPerDecision: {
        bench: cpuMicros / 1000 / decisions,
        ...(postgresCpuMs !== undefined ? { postgres: postgresCpuMs / decisions } : {}),
        ...(redisCpuMs !== undefined ? { redis: redisCpuMs / decisions } : {}),
        ...(stats.every((s) => s !== undefined) ? { workers: stats.reduce((ms, s) => ms + s!.cpuMsPerJob * s!.jobs, 0) / decisions } : {}),
      },
      renderCpuMsPerDocument: renderCpuMicros / 1000 / Math.max(1, rendered),
      ...(machineTotal > 0 ? { machineBusyDuringRounds: machineBusy / machineTotal } : {}),
      ...(machineTotal > 0 && postgresCpuMs !== undefined && redisCpuMs !== undefined && stats.every((s) => s !== undefined)
        ? {
            othersShareDuringRounds:
              Math.max(
                0,
                (machineBusy * 1000) / CLK_TCK - cpuMicros / 1000 - postgresCpuMs - redisCpuMs - stats.reduce((ms, s) => ms + s!.cpuMsPerJob * s!.jobs, 0),
              ) /
              ((machineTotal * 1000) / CLK_TCK),
          }
        : {}),
      documentFiles,
      redis: { prefix, evictionPolicy },
      statusListUpdate,
    };
  } finally {
    await stopWorkers(workers).catch(() => undefined);
    await runner.stop().catch(() => undefined);
    await queue.obliterate().catch((error) => log(`  could not obliterate the issuance queue ${prefix}: ${String(error)}`));
    // Whatever BullMQ left beside the queue (its meta, events stream) under the prefix.
    const leftovers = await redis.keys(`${prefix}:*`).catch(() => [] as string[]);
    if (leftovers.length > 0) await redis.del(...leftovers).catch(() => undefined);
    await queue.close().catch(() => undefined);
    await redis.quit().catch(() => redis.disconnect());
    rmSync(documentsDir, { recursive: true, force: true });
  }
}

/** The shipped référentiels published into the log, as loadPaths starts (for `--only issuance`). */
export async function publishShippedReferentials(store: SqlEventStore): Promise<void> {
  const { entries, problems } = loadCatalogue();
  if (problems.length > 0) throw new Error(`the shipped catalogue has problems: ${problems.map((p) => `${p.file} ${p.path}: ${p.message}`).join('; ')}`);
  for (const entry of entries) await publishReferential(store, entry.referential, entry.contentHash);
}
