/**
 * One issuance worker process of the bench (issuance-measurements.ts): the Issuance service and its
 * BullMQ worker built as RuntimeModule wires them (the store on PostgreSQL, a folder of documents,
 * the référentiels resolved from the log and cached, the worker's default concurrency), but without
 * Nest, from the environment:
 *
 *   DATABASE_URL, REDIS_URL, REDIS_PREFIX, DOCUMENTS_DIR, ISSUER_SIGNING_KEY (PKCS#8 PEM),
 *   PUBLIC_BASE_URL, ISSUER_SLUG (optional: jalon), ISSUANCE_CONCURRENCY (optional: startIssuanceWorker's default otherwise).
 *
 * Prints `ready` once the worker is connected, then `completed <jobId>` for each job done; SIGUSR2 resets its counters (after a warm-up);
 * SIGTERM, or the end of its stdin (the bench gone), closes the worker (jobs in flight finish),
 * prints `stats <json>` (where the jobs' time went, see WorkerStats) and exits.
 *
 * Run with: node -r ts-node/register/transpile-only -r tsconfig-paths/register <this file>
 */
import { DataKeys, enrollmentCommandHandler, masterKeysOrThrowaway, PersonalDataVault } from '@jalon/privacy';
import {
  DocumentFile,
  DocumentStorage,
  FolderDocumentStorage,
  Issuance,
  IssuanceJobData,
  connect,
  issuerKeyFromPem,
  startIssuanceWorker,
  StatusLists,
} from '@jalon/issuance';
import { EventStore, openSqlDatabase, SqlEventStore } from '@jalon/event-store';
import { exitOnSigterm } from '@jalon/event-store/testing/child-worker';
import { ReferentialResolver } from '../libs/runtime/src/referential-resolver.service';

/** What a job's time is spent on, summed over the jobs of this process (wall-clock ms, jobs overlap). */
export interface WorkerStats {
  readonly jobs: number;
  readonly failed: number;
  /** Inside the processor, per job, in ms (mean): readStream by kind of stream, append, document writes, référentiel lookups. */
  readonly msPerJob: Record<string, number>;
  /** CPU time of this process (user + system) per job completed, in ms. */
  readonly cpuMsPerJob: number;
  readonly concurrency: number;
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

async function main(): Promise<void> {
  const redisSettings = { url: required('REDIS_URL'), prefix: required('REDIS_PREFIX') };
  const concurrency = process.env.ISSUANCE_CONCURRENCY ? Number(process.env.ISSUANCE_CONCURRENCY) : undefined;
  const home = await openSqlDatabase({ kind: 'postgres', url: required('DATABASE_URL') });
  const store = new SqlEventStore(home);
  const key = issuerKeyFromPem(required('ISSUER_SIGNING_KEY'), `${required('PUBLIC_BASE_URL')}/issuer`, 'Jalon');

  // Time per stage, measured around the dependencies Issuance is given (libs/ untouched): what is
  // left of a job's time is the fold, the rendering and the signing.
  const spent = new Map<string, number>();
  const add = (stage: string, started: number) => spent.set(stage, (spent.get(stage) ?? 0) + performance.now() - started);
  const timedStore: EventStore = {
    append: async (streamId, events, options) => {
      const started = performance.now();
      try {
        return await store.append(streamId, events, options);
      } finally {
        add('append', started);
      }
    },
    readStream: async (streamId, options) => {
      const started = performance.now();
      try {
        return await store.readStream(streamId, options);
      } finally {
        add(`readStream ${streamId.slice(0, streamId.indexOf('-'))}`, started);
      }
    },
    readAll: (options) => store.readAll(options),
    subscribeToAll: (options) => store.subscribeToAll(options),
    headPosition: () => store.headPosition(),
    close: () => store.close(),
  };
  const folder = new FolderDocumentStorage(required('DOCUMENTS_DIR'));
  const documents: DocumentStorage = {
    put: async (number: string, file: DocumentFile, bytes: Buffer) => {
      const started = performance.now();
      try {
        await folder.put(number, file, bytes);
      } finally {
        add(`put ${file}`, started);
      }
    },
    get: (number, file) => folder.get(number, file),
    remove: (number) => folder.remove(number),
  };
  // The resolver reads from the store it is given: the raw one, so its (first, uncached) reads are counted under 'referential'.
  const referentials = new ReferentialResolver(store);
  const vault = new PersonalDataVault(new DataKeys(home.db, masterKeysOrThrowaway(process.env.MASTER_KEYS)));
  const issuance = new Issuance({
    store: timedStore,
    enrollments: enrollmentCommandHandler(timedStore, vault),
    documents,
    referential: async (id, version) => {
      const started = performance.now();
      try {
        return await referentials.resolve(id, version);
      } finally {
        add('referential', started);
      }
    },
    key,
    publicBaseUrl: required('PUBLIC_BASE_URL'),
    vault,
    // Each document's entry in a revocation status list, as RuntimeModule gives it.
    statusList: new StatusLists(home.db, { issuerSlug: process.env.ISSUER_SLUG || 'jalon', publicBaseUrl: required('PUBLIC_BASE_URL') }),
  });

  let jobs = 0;
  let failed = 0;
  const process_ = async (data: IssuanceJobData): Promise<string> => {
    const started = performance.now();
    try {
      const outcome = data.type === 'issue' ? await issuance.issue(data.job) : await issuance.revoke(data.job);
      jobs++;
      return outcome;
    } catch (error) {
      failed++;
      throw error;
    } finally {
      add('job', started);
    }
  };
  const redis = connect(redisSettings);
  const worker = startIssuanceWorker(process_, redis, redisSettings, concurrency ? { concurrency } : {});
  // For the bench's clock: each job as BullMQ records it complete (its DocumentIssued is in the log).
  worker.on('completed', (job) => process.stdout.write(`completed ${job.id}\n`));
  worker.on('failed', (job, error) => process.stderr.write(`issuance job ${job?.id} failed (attempt ${job?.attemptsMade}): ${error.message}\n`));

  let cpuAtReady = process.cpuUsage();
  // SIGUSR2: start counting afresh (after the warm-up round).
  process.on('SIGUSR2', () => {
    spent.clear();
    jobs = 0;
    failed = 0;
    cpuAtReady = process.cpuUsage();
  });
  const stop = exitOnSigterm(async () => {
    await worker.close();
    const cpu = process.cpuUsage(cpuAtReady);
    const stages = Object.fromEntries([...spent].map(([stage, ms]) => [stage, Math.round((ms / Math.max(1, jobs + failed)) * 100) / 100]));
    const stats: WorkerStats = {
      jobs,
      failed,
      msPerJob: stages,
      cpuMsPerJob: Math.round(((cpu.user + cpu.system) / 1000 / Math.max(1, jobs)) * 100) / 100,
      concurrency: worker.opts.concurrency ?? 0,
    };
    process.stdout.write(`stats ${JSON.stringify(stats)}\n`);
    await redis.quit().catch(() => redis.disconnect());
    await home.close();
  });
  // The bench holds our stdin: when it goes (interrupted, killed), so do we.
  process.stdin.on('end', stop);
  process.stdin.resume();

  await worker.waitUntilReady();
  // Counted from here: the start-up (ts-node compiling, connections) is not the jobs' cost.
  cpuAtReady = process.cpuUsage();
  process.stdout.write('ready\n');
}

if (require.main === module) {
  main().catch((error) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}
