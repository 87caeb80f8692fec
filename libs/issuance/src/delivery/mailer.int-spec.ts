import { MailRefusedError, smtpMailer } from './mailer';
import { SmtpTestServer, startSmtpTestServer } from './testing/smtp-test-server';

const mail = (to: string, messageId: string) => ({
  from: { name: 'École Data', address: 'certificats@ecole-data.test' },
  to,
  messageId,
  subject: 'Votre attestation de réussite',
  text: 'Bonjour Léa,\n\nvotre attestation est délivrée.',
  html: '<p>Bonjour Léa,</p><p>votre attestation est délivrée.</p>',
});
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the SMTP mailer’s hand-over: the line ending the data goes only once it is recorded (a real SMTP server)', () => {
  let smtp: SmtpTestServer;
  beforeAll(async () => {
    smtp = await startSmtpTestServer({ refuse: (address) => address.startsWith('inconnu') });
  });
  afterAll(async () => {
    await smtp?.stop();
  });

  it('hands over once the server has the envelope and the content, and the message is accepted only after', async () => {
    const mailer = smtpMailer(smtp.url, { clientName: 'hand-over.test' });
    const seen: number[] = [];
    await mailer.send(mail('lea@example.org', '<hand-over-1@jalon.test>'), async () => {
      seen.push(smtp.to('lea@example.org').length);
      // The server waits for the last line meanwhile: nothing accepted while the hand-over is recorded.
      await sleep(150);
      seen.push(smtp.to('lea@example.org').length);
    });
    expect(seen).toEqual([0, 0]);
    const [received] = smtp.to('lea@example.org');
    expect(received).toMatchObject({ messageId: '<hand-over-1@jalon.test>', subject: 'Votre attestation de réussite', client: 'hand-over.test' });
    expect(received.text).toContain('votre attestation est délivrée');
    expect(received.from).toMatch(/^"?École Data"? <certificats@ecole-data\.test>$/);
  });

  it('a hand-over that fails sends nothing: the server never gets the last line, and drops the message', async () => {
    const mailer = smtpMailer(smtp.url);
    await expect(
      mailer.send(mail('noe@example.org', '<hand-over-2@jalon.test>'), async () => {
        throw new Error('the database is away');
      }),
    ).rejects.toThrow('the database is away');
    await sleep(200);
    expect(smtp.to('noe@example.org')).toEqual([]);
    // The next attempt goes.
    await mailer.send(mail('noe@example.org', '<hand-over-2@jalon.test>'), async () => undefined);
    expect(smtp.to('noe@example.org').map((m) => m.messageId)).toEqual(['<hand-over-2@jalon.test>']);
  });

  it('an address refused at RCPT TO: refused for good, never handed over', async () => {
    const mailer = smtpMailer(smtp.url);
    let handedOver = false;
    const sending = mailer.send(mail('inconnu@example.org', '<hand-over-3@jalon.test>'), async () => {
      handedOver = true;
    });
    await expect(sending).rejects.toBeInstanceOf(MailRefusedError);
    await expect(sending).rejects.toMatchObject({ addressRefused: true });
    expect(handedOver).toBe(false);
  });

  it('a server that is down: unavailable, never handed over', async () => {
    const down = await startSmtpTestServer();
    const url = down.url;
    await down.stop();
    let handedOver = false;
    await expect(
      smtpMailer(url, { timeoutMs: 2_000 }).send(mail('lea@example.org', '<hand-over-4@jalon.test>'), async () => {
        handedOver = true;
      }),
    ).rejects.toThrow(/^mail server unavailable: /);
    expect(handedOver).toBe(false);
  });
});
