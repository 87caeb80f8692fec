// The api the delivery spec (admin-delivery.console.ts) drives, started by that spec on a port of
// its own: as `npm start` serves it (console included, development sign-in on) on a PostgreSQL
// database of its own, with documents e-mailed through a real SMTP server started here (the
// smtp-server package), which refuses the « inconnu… » mailboxes as a server refuses an address that
// does not exist. The other specs' api (console-server.ts) keeps delivery off.
//
// It registers one candidate of DELIVERY_TEST_SCHOOL as a school did before addresses were asked
// (the api requires one now): through the candidate stream's handler, without an address. Prints
// `ready <candidate id>` once listening; SIGTERM stops everything and drops the database.
//
// Environment: DELIVERY_TEST_PORT, DELIVERY_TEST_SCHOOL.
import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@jalon/config';
import { decideCandidate } from '@jalon/domain';
import { createTestDatabase } from '@jalon/event-store/testing/postgres-test-database';
import { DeliveryQueue, IssuanceQueue } from '@jalon/issuance';
import { startSmtpTestServer } from '@jalon/issuance/delivery/testing/smtp-test-server';
import { StreamCommandHandlers } from '@jalon/runtime';
import { createApp } from '../../apps/api/src/create-app';

async function main(): Promise<void> {
  const port = process.env.DELIVERY_TEST_PORT ?? '43975';
  const school = process.env.DELIVERY_TEST_SCHOOL ?? 'ecole-envois';
  const smtp = await startSmtpTestServer({ refuse: (address) => address.startsWith('inconnu') });
  const database = await createTestDatabase('jalon_console_delivery');
  const dataDir = mkdtempSync(join(tmpdir(), 'jalon-console-delivery-'));
  const config = loadConfig({
    PORT: port,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'error',
    EVENT_STORE: 'postgres',
    DATABASE_URL: database.url,
    JWT_SECRET: randomBytes(32).toString('hex'),
    MASTER_KEYS: `console-1:${randomBytes(32).toString('base64')}`,
    PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
    REDIS_PREFIX: `jalon-console-delivery-${randomBytes(4).toString('hex')}`,
    POLL_INTERVAL_MS: '20',
    DEV_SIGN_IN: 'true',
    SMTP_URL: smtp.url,
    MAIL_FROM: 'École Data IA <certificats@ecole-data-ia.fr>',
  });
  const app = await createApp(config);
  await app.listen(config.port, '127.0.0.1');

  const candidateId = randomUUID();
  await app.get(StreamCommandHandlers).candidates.handle(
    candidateId,
    (state) =>
      decideCandidate(
        {
          type: 'RegisterCandidate',
          data: {
            candidateId,
            organisationId: school,
            identity: { birthName: 'Lambert', firstNames: ['Noé'], birthDate: '2000-01-01', sex: 'M', birthPlace: 'Paris (75)', email: '' },
            by: { id: 'admin-1', role: 'admin' },
            now: new Date().toISOString(),
          },
        },
        state,
      ),
    { organisationId: school },
  );

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    for (const queue of [app.get(IssuanceQueue), app.get(DeliveryQueue)]) await queue.obliterate().catch(() => undefined);
    await app.close().catch(() => undefined);
    await smtp.stop().catch(() => undefined);
    await database.drop().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
  process.stdout.write(`ready ${candidateId}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
