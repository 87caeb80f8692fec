import { Mailbox } from '@jalon/config';
import { createTransport } from 'nodemailer';

export interface OutgoingMail {
  readonly from: Mailbox;
  readonly to: string;
  /** With its angle brackets: `<…@host>`. */
  readonly messageId: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

/** Sends one message; resolves once the mail server accepted it (its 250 to the message's data). */
export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

export interface SmtpMailerOptions {
  /** The name this client gives itself in EHLO (nodemailer's default: the machine's host name). */
  readonly clientName?: string;
  /** How long a connection, the server's greeting or a silent socket is waited for (20 s). */
  readonly timeoutMs?: number;
}

/**
 * nodemailer's SMTP transport on SMTP_URL (smtp://user:password@host:587, smtps://…:465; nodemailer
 * reads options from its query, e.g. ?tls.rejectUnauthorized=false): one connection per message,
 * bounded waits, so a mail server that hangs fails the job (retried later) rather than holding it.
 */
export function smtpMailer(smtpUrl: string, options: SmtpMailerOptions = {}): Mailer {
  const timeout = options.timeoutMs ?? 20_000;
  const transport = createTransport({
    url: smtpUrl,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
    ...(options.clientName ? { name: options.clientName } : {}),
  } as Parameters<typeof createTransport>[0]);
  return {
    async send(mail) {
      await transport.sendMail({
        from: mail.from.name ? { name: mail.from.name, address: mail.from.address } : mail.from.address,
        to: mail.to,
        messageId: mail.messageId,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
      });
    },
    close: () => transport.close(),
  };
}

/** The mail server as a log line may name it: scheme, host and port, never the credentials. */
export function describeSmtpUrl(smtpUrl: string): string {
  const url = new URL(smtpUrl);
  return `${url.protocol}//${url.host}`;
}
