import { Readable } from 'node:stream';
import { Mailbox } from '@jalon/config';
import MailComposer from 'nodemailer/lib/mail-composer';
import { parseConnectionUrl } from 'nodemailer/lib/shared';
import SMTPConnection from 'nodemailer/lib/smtp-connection';

export interface OutgoingMail {
  readonly from: Mailbox;
  readonly to: string;
  /** With its angle brackets: `<…@host>`. */
  readonly messageId: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

/**
 * Sends one message; resolves once the mail server accepted it (its 250 to the message's data), in
 * the tick that answer is read. Rejects with a MailRefusedError when the server refused it for good
 * (a 5xx answer: the address, say), with a MailServerUnavailableError when it could not be reached or
 * asked to try later (4xx), with the library's error otherwise.
 *
 * `handingOver`, when given, is awaited at the one moment from which the message may reach its
 * holder: the server has taken the envelope and the whole content, and waits for the line that ends
 * the data (`.`), which is sent only once it resolves. A process that dies before that line leaves
 * the server with an unfinished message, which it drops; one that dies after it may have delivered
 * it. Should `handingOver` fail, the connection is closed without that line: nothing is delivered.
 */
export interface Mailer {
  send(mail: OutgoingMail, handingOver?: () => Promise<void>): Promise<void>;
  close(): void;
}

export interface SmtpMailerOptions {
  /** The name this client gives itself in EHLO (nodemailer's default: the machine's host name). */
  readonly clientName?: string;
  /** How long a connection, the server's greeting or a silent socket is waited for (20 s). */
  readonly timeoutMs?: number;
}

/**
 * SMTP on SMTP_URL (smtp://user:password@host:587, smtps://…:465; options read from its query as
 * nodemailer reads them, e.g. ?tls.rejectUnauthorized=false), through nodemailer's SMTP connection
 * rather than its transport, which reads the message ahead of the server's go-ahead for the data and
 * so cannot hold its last line back: one connection per message (STARTTLS where offered), bounded
 * waits, so a mail server that hangs fails the job (retried later) rather than holding it.
 */
export function smtpMailer(smtpUrl: string, options: SmtpMailerOptions = {}): Mailer {
  const timeout = options.timeoutMs ?? 20_000;
  const { auth, ...url } = parseConnectionUrl(smtpUrl);
  const connectionOptions = {
    ...url,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
    ...(options.clientName ? { name: options.clientName } : {}),
  } as ConstructorParameters<typeof SMTPConnection>[0];
  const open = new Set<SMTPConnection>();
  return {
    async send(mail, handingOver) {
      const message = await new MailComposer({
        from: mail.from.name ? { name: mail.from.name, address: mail.from.address } : mail.from.address,
        to: mail.to,
        messageId: mail.messageId,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
      })
        .compile()
        .build();
      const connection = new SMTPConnection(connectionOptions);
      open.add(connection);
      try {
        await new Promise<void>((resolve, reject) => {
          connection.once('error', reject);
          const sendMessage = () =>
            connection.send({ from: mail.from.address, to: [mail.to] }, lastLineHeldBack(message, handingOver), (error) => (error ? reject(error) : resolve()));
          connection.connect(() => {
            if (!auth || !connection.allowsAuth) return sendMessage();
            connection.login({ user: auth.user, credentials: { user: auth.user, pass: auth.pass } }, (error) => (error ? reject(error) : sendMessage()));
          });
        });
        connection.quit();
      } catch (error) {
        connection.close();
        throw mailError(error, mail.to);
      } finally {
        open.delete(connection);
      }
    },
    close: () => {
      for (const connection of open) connection.close();
    },
  };
}

/**
 * The message's content, read by the connection once the server said go ahead with the data (354);
 * its end — after which the connection writes the line that ends the data — only once `handingOver`
 * resolved. Failing, it fails the stream: the connection errs out and closes, the line never sent.
 */
function lastLineHeldBack(message: Buffer, handingOver?: () => Promise<void>): Readable {
  let given = false;
  return new Readable({
    read() {
      if (!given) {
        given = true;
        this.push(message);
        return;
      }
      if (!handingOver) return void this.push(null);
      handingOver().then(
        () => this.push(null),
        (error: unknown) => this.destroy(error instanceof Error ? error : new Error(String(error))),
      );
    },
  });
}

/**
 * The server refused the message for good (5xx). `addressRefused`: it refused the address itself (an
 * enhanced status 5.1.x or 5.2.1, or a bare 550/551/553 to RCPT TO: no such mailbox, say) — sent
 * again to it, it would be refused again; otherwise (relay denied, policy, content: 5.7.x…) the
 * server's configuration may change, and a later attempt may go.
 */
export class MailRefusedError extends Error {
  constructor(
    readonly response: string,
    readonly addressRefused: boolean,
  ) {
    super(`${addressRefused ? REFUSED : REJECTED} ${response}`);
    this.name = 'MailRefusedError';
  }
}

/** The server could not be reached, or asked to try later (4xx): the job is retried with backoff. */
export class MailServerUnavailableError extends Error {
  constructor(detail: string) {
    super(`${UNAVAILABLE} ${detail}`);
    this.name = 'MailServerUnavailableError';
  }
}

const REFUSED = 'refused by the mail server:';
const REJECTED = 'rejected by the mail server:';
const UNAVAILABLE = 'mail server unavailable:';
const NETWORK_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EHOSTUNREACH']);
/** What stands for the holder's address in an error: the message goes to the job's record in Redis, the database and the admin screen (R14). */
export const RECIPIENT = '…@…';

/**
 * nodemailer's error as one of ours, where it says which (its SMTP answer's code, its network error
 * code), the holder's address taken out of its message (a server's refusal quotes it).
 */
export function mailError(error: unknown, to: string): Error {
  const e = error as { responseCode?: number; response?: string; code?: string; command?: string; message?: string };
  const redact = (text: string) => (to ? text.replace(new RegExp(to.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi'), RECIPIENT) : text);
  if (typeof e?.responseCode === 'number' && e.responseCode >= 500 && e.responseCode < 600) {
    const enhanced = /^\d{3}[ -](\d\.\d{1,3}\.\d{1,3})\b/.exec(e.response ?? '')?.[1];
    const addressRefused = enhanced
      ? /^5\.1\.\d+$/.test(enhanced) || enhanced === '5.2.1'
      : [550, 551, 553].includes(e.responseCode) && /^RCPT/i.test(e.command ?? '');
    return new MailRefusedError(redact(e.response ?? `${e.responseCode}`), addressRefused);
  }
  if (typeof e?.responseCode === 'number' && e.responseCode >= 400) return new MailServerUnavailableError(redact(e.response ?? `${e.responseCode}`));
  if (e?.code && NETWORK_CODES.has(e.code)) return new MailServerUnavailableError(redact(e.message ?? e.code));
  const other = new Error(redact(e?.message ?? String(error)));
  other.name = error instanceof Error ? error.name : 'Error';
  return other;
}

/**
 * Why a delivery failed, as an admin is told it, from the error recorded with its job: the address
 * refused, the message rejected for another reason, the server unavailable, or else.
 */
export type DeliveryFailure = 'refused' | 'rejected' | 'unavailable' | 'other';
export const deliveryFailureOf = (error: string): DeliveryFailure =>
  error.startsWith(REFUSED) ? 'refused' : error.startsWith(REJECTED) ? 'rejected' : error.startsWith(UNAVAILABLE) ? 'unavailable' : 'other';

/** What the mail server answered (or the network said), without Jalon's words around it. */
export const deliveryFailureDetail = (error: string): string =>
  error.replace(new RegExp(`^(${REFUSED}|${REJECTED}|${UNAVAILABLE}) `), '').replace(/ \(not sent again until the holder's address is corrected\)$/, '');

/** The mail server as a log line may name it: scheme, host and port, never the credentials. */
export function describeSmtpUrl(smtpUrl: string): string {
  const url = new URL(smtpUrl);
  return `${url.protocol}//${url.host}`;
}
