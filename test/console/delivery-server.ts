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
  process.stdout.write(`ready ${candidateId}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
