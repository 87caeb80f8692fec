/**
 * A bare delivery worker for the crash test (delivery-crash.int-spec.ts): no Nest, just the
 * DocumentDelivery service as the runtime wires it (event store on PostgreSQL, the identity opened
 * through the vault, reads recorded, nodemailer on SMTP_URL) behind the service's worker
 * (startDeliveryWorker). Prints `ready` once the worker is connected; SIGTERM stops it (exit 0).
 *
 * Environment: DATABASE_URL, REDIS_URL, REDIS_PREFIX, SMTP_URL, PUBLIC_BASE_URL, ISSUER_KEY_PEM (unused: Issuance
 * wants one); optional
 * CLIENT_NAME (the name it gives in EHLO: the test tells the workers' messages apart by it),
 * CONCURRENCY, LOCK_DURATION_MS, STALLED_INTERVAL_MS, MAX_STALLED_COUNT (as run-issuance-worker),
 * COMPLETION_DELAY_MS (0: how long a job waits, its outcome recorded, before BullMQ records it complete).
 *
 * Run with: node -r ts-node/register/transpile-only -r tsconfig-paths/register <this file>
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlDatabase, SqlEventStore } from '@jalon/event-store';
import { exitOnSigterm } from '@jalon/event-store/testing/child-worker';
import { DataKeys, enrollmentCommandHandler, masterKeysOrThrowaway, PersonalDataReadLog, PersonalDataVault } from '@jalon/privacy';
import { FolderDocumentStorage } from '../../document-storage';
import { connect } from '../../issuance-queue';
import { Issuance } from '../../issuance.service';
import { issuerKeyFromPem } from '../../render';
import { referentialLookup } from '../../testing/run-issuance-worker.process';
import { startDeliveryWorker } from '../delivery-queue';
import { DocumentDelivery } from '../document-delivery.service';
import { smtpMailer } from '../mailer';

const required = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};
const optionalNumber = (name: string): number | undefined => (process.env[name] ? Number(process.env[name]) : undefined);

async function main(): Promise<void> {
  const home = await openSqlDatabase({ kind: 'postgres', url: required('DATABASE_URL'), poolSize: 8 });
  const store = new SqlEventStore(home);
  const publicBaseUrl = required('PUBLIC_BASE_URL');
  const vault = new PersonalDataVault(new DataKeys(home.db, masterKeysOrThrowaway(process.env.MASTER_KEYS)));
  // Only the document's facts and its holder's identity are asked of it: nothing is rendered or stored.
  const issuance = new Issuance({
    store,
    enrollments: enrollmentCommandHandler(store, vault),
    documents: new FolderDocumentStorage(mkdtempSync(join(tmpdir(), 'jalon-delivery-worker-'))),
    referential: referentialLookup(store),
    key: issuerKeyFromPem(required('ISSUER_KEY_PEM'), `${publicBaseUrl}/issuer`, 'Jalon (delivery crash test)'),
    publicBaseUrl,
    vault,
  });
  const mailer = smtpMailer(required('SMTP_URL'), { ...(process.env.CLIENT_NAME ? { clientName: process.env.CLIENT_NAME } : {}) });
  const delivery = new DocumentDelivery({
    db: home.db,
    store,
    issuance,
    readLog: new PersonalDataReadLog(home.db),
    mailer,
    senderOf: () => ({ name: 'Jalon', address: 'no-reply@jalon.test' }),
    publicBaseUrl,
  });
  await Promise.all(Array.from({ length: 4 }, () => store.readStream('warm-up-none')));

  const redisSettings = { url: required('REDIS_URL'), prefix: process.env.REDIS_PREFIX || undefined };
  const connection = connect(redisSettings);
  // A pause after the outcome is recorded and before BullMQ hears the job is complete: a kill there
  // makes BullMQ run again a job whose e-mail is sent and recorded, which must then send nothing.
  const completionDelayMs = optionalNumber('COMPLETION_DELAY_MS') ?? 0;
  const worker = startDeliveryWorker(
    async (job) => {
      const outcome = await delivery.deliver(job);
      if (completionDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, completionDelayMs));
      return outcome;
    },
    connection,
    redisSettings,
    {
      concurrency: optionalNumber('CONCURRENCY'),
      lockDurationMs: optionalNumber('LOCK_DURATION_MS'),
      stalledIntervalMs: optionalNumber('STALLED_INTERVAL_MS'),
      maxStalledCount: optionalNumber('MAX_STALLED_COUNT'),
    },
  );
  worker.on('failed', (job, error) => process.stderr.write(`job ${job?.id} failed (attempt ${job?.attemptsMade}): ${error.message}\n`));
  worker.on('error', (error) => process.stderr.write(`worker error: ${error.message}\n`));

  exitOnSigterm(async () => {
    await worker.close();
    mailer.close();
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
