/**
 * A bare issuance worker for the crash test (issuance-crash.int-spec.ts): no Nest, just the
 * Issuance service as the runtime wires it (event store on PostgreSQL, documents in a folder, the
 * référentiel read from its stream in the log) behind the service's worker (startIssuanceWorker).
 * Prints `ready` once the worker is connected; SIGTERM stops it cleanly (exit 0).
 *
 * Environment: DATABASE_URL, REDIS_URL, REDIS_PREFIX, DOCUMENTS_DIR, ISSUER_KEY_PEM (PKCS#8
 * Ed25519); optional ISSUER_ID, ISSUER_NAME, PUBLIC_BASE_URL, CONCURRENCY (4, as in production),
 * LOCK_DURATION_MS / STALLED_INTERVAL_MS (BullMQ's 30 s by default: a killed worker's jobs come
 * back only once their lock has expired and a stalled check has seen them, so the test shortens
 * both), MAX_STALLED_COUNT (startIssuanceWorker's 100 unless set: beyond it a stalled job fails for good),
 * COMPLETION_DELAY_MS (0: how long a job waits, its work done, before BullMQ records it complete),
 * SWEEP_OLDER_THAN_MS (the storage's 60 s unless set: partial files at least this old are removed
 * at start, as the runtime does; the test runs one worker at a time, so none is being written).
 * Before `ready` it renders two sample documents and opens its connections, so that a kill soon
 * after `ready` finds it working at full pace rather than warming up.
 *
 * Run with: node -r ts-node/register/transpile-only -r tsconfig-paths/register <this file>
 */
import { Referential, ReferentialEventOf, referentialStreamId } from '@jalon/domain';
import { EventStore, openSqlDatabase, SqlEventStore } from '@jalon/event-store';
import { exitOnSigterm } from '@jalon/event-store/testing/child-worker';
import { DataKeys, enrollmentCommandHandler, masterKeysOrThrowaway, PersonalDataVault } from '@jalon/privacy';
import { FolderDocumentStorage } from '../document-storage';
import { Issuance } from '../issuance.service';
import { connect, IssuanceJobData, startIssuanceWorker } from '../issuance-queue';
import { generateIssuerKey, issueCredential, issuerKeyFromPem, renderPdf } from '../render';
import { sampleAttestation, sampleCertificate } from '../render/testing/sample-models';

/** ReferentialResolver's logic (libs/runtime), without Nest: a published version, read once from its stream. */
export function referentialLookup(store: EventStore): (referentialId: string, version: string) => Promise<Referential> {
  const cache = new Map<string, Promise<Referential>>();
  return (referentialId, version) => {
    const key = `${referentialId}@${version}`;
    let found = cache.get(key);
    if (!found) {
      found = (async () => {
        for (const event of await store.readStream(referentialStreamId(referentialId))) {
          if (event.type !== 'ReferentialVersionPublished') continue;
          const data = (event as unknown as { data: ReferentialEventOf<'ReferentialVersionPublished'>['data'] }).data;
          if (data.version === version) return data.content;
        }
        throw new Error(`référentiel ${key} is not published`);
      })();
      found.catch(() => cache.delete(key));
      cache.set(key, found);
    }
    return found;
  };
}

const required = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};
const optionalNumber = (name: string): number | undefined => (process.env[name] ? Number(process.env[name]) : undefined);

async function main(): Promise<void> {
  const redisUrl = required('REDIS_URL');
  const home = await openSqlDatabase({ kind: 'postgres', url: required('DATABASE_URL'), poolSize: 8 });
  const store = new SqlEventStore(home);
  const publicBaseUrl = process.env.PUBLIC_BASE_URL ?? 'https://jalon.example.org';
  const documents = new FolderDocumentStorage(required('DOCUMENTS_DIR'));
  // As the runtime does at start-up: the partial files of a worker killed mid-write go.
  await documents.sweep({ olderThanMs: optionalNumber('SWEEP_OLDER_THAN_MS') });
  const vault = new PersonalDataVault(new DataKeys(home.db, masterKeysOrThrowaway(process.env.MASTER_KEYS)));
  const issuance = new Issuance({
    store,
    enrollments: enrollmentCommandHandler(store, vault),
    documents,
    referential: referentialLookup(store),
    key: issuerKeyFromPem(required('ISSUER_KEY_PEM'), process.env.ISSUER_ID ?? `${publicBaseUrl}/issuer`, process.env.ISSUER_NAME ?? 'Jalon (crash test)'),
    publicBaseUrl,
    vault,
  });

  // Warm up before taking jobs, so that `ready` means working at full pace: the first render of a
  // fresh process (fonts, JIT) and the first queries (pool connections) are much slower.
  const warmUpKey = generateIssuerKey('https://warm-up.invalid/issuer', 'warm-up');
  for (const model of [sampleAttestation, sampleCertificate]) {
    await renderPdf(model);
    issueCredential(model, warmUpKey);
  }
  await Promise.all(Array.from({ length: 4 }, () => store.readStream('warm-up-none')));

  // The service's worker (startIssuanceWorker); only the lock and stalled-check settings, and the
  // completion delay below, differ from production.
  const redisSettings = { url: redisUrl, prefix: process.env.REDIS_PREFIX || undefined };
  const connection = connect(redisSettings);
  // A pause between the job's work and its completion in Redis widens the window in which a kill
  // leaves a job whose document is recorded but which BullMQ will run again: the case the "already
  // issued" check exists for, which a kill at a random moment otherwise rarely hits.
  const completionDelayMs = optionalNumber('COMPLETION_DELAY_MS') ?? 0;
  const processJob = async (data: IssuanceJobData): Promise<string> => {
    const outcome = await (data.type === 'issue' ? issuance.issue(data.job) : issuance.revoke(data.job));
    if (completionDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, completionDelayMs));
    return outcome;
  };
  const worker = startIssuanceWorker(processJob, connection, redisSettings, {
    concurrency: optionalNumber('CONCURRENCY'),
    lockDurationMs: optionalNumber('LOCK_DURATION_MS'),
    stalledIntervalMs: optionalNumber('STALLED_INTERVAL_MS'),
    maxStalledCount: optionalNumber('MAX_STALLED_COUNT'),
  });
  worker.on('failed', (job, error) => process.stderr.write(`job ${job?.id} failed (attempt ${job?.attemptsMade}): ${error.message}\n`));
  worker.on('error', (error) => process.stderr.write(`worker error: ${error.message}\n`));

  exitOnSigterm(async () => {
    await worker.close();
    await connection.quit().catch(() => connection.disconnect());
    await home.close();
  });

  await worker.waitUntilReady();
  process.stdout.write('ready\n');
}

if (require.main === module) {
  main().catch((error) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}
