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
// A line `cut-short <enrollment id>` on its stdin leaves that path's last e-mail sent as a worker
// killed after handing it over would have left it (its attempt open and handed over, no outcome)
// and runs its job again, which records it unconfirmed; then prints `cut-short <event id>`.
//
// Environment: DELIVERY_TEST_PORT, DELIVERY_TEST_SCHOOL.
import 'reflect-metadata';
import { createInterface } from 'node:readline';
import { sql } from 'kysely';
import { Storage } from '@jalon/event-store';
import { DeliveryQueue } from '@jalon/issuance';
import { STORAGE } from '@jalon/runtime';
import { startSmtpTestServer } from '@jalon/issuance/delivery/testing/smtp-test-server';
import { registerCandidateWithoutAddress } from '../support/candidate-without-address';
import { startConsoleApi } from './console-api';

async function main(): Promise<void> {
  const port = process.env.DELIVERY_TEST_PORT ?? '43975';
  const school = process.env.DELIVERY_TEST_SCHOOL ?? 'ecole-envois';
  const smtp = await startSmtpTestServer({ refuse: (address) => address.startsWith('inconnu') });
  const { app, stop: stopApi } = await startConsoleApi(port, 'jalon_console_delivery', {
    DEV_SIGN_IN: 'true',
    SMTP_URL: smtp.url,
    MAIL_FROM: 'École Data IA <certificats@ecole-data-ia.fr>',
  });

  const candidateId = await registerCandidateWithoutAddress(app, school, 'Lambert');

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await stopApi();
    await smtp.stop().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
  const db = app.get<Storage>(STORAGE).sql.db;
  createInterface({ input: process.stdin }).on('line', (line) => {
    const [command, enrollmentId] = line.trim().split(' ');
    if (command !== 'cut-short') return;
    void (async () => {
      const { rows } = await sql<{ event_id: string }>`DELETE FROM document_deliveries
        WHERE event_id = (SELECT event_id FROM document_deliveries WHERE enrollment_id = ${enrollmentId} AND outcome = 'sent' ORDER BY recorded_at DESC LIMIT 1)
        RETURNING event_id`.execute(db);
      const eventId = rows[0].event_id;
      await sql`UPDATE document_delivery_attempts SET open = true, handed_over_at = clock_timestamp() WHERE event_id = ${eventId}`.execute(db);
      await app.get(DeliveryQueue).enqueueAgain({ eventId, enrollmentId });
      for (let waited = 0; waited < 15_000; waited += 50) {
        const { rows: recorded } = await sql`SELECT 1 FROM document_deliveries WHERE event_id = ${eventId} AND outcome = 'unconfirmed'`.execute(db);
        if (recorded.length > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      process.stdout.write(`cut-short ${eventId}\n`);
    })().catch((error: unknown) => console.error(error));
  });
  process.stdout.write(`ready ${candidateId}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
