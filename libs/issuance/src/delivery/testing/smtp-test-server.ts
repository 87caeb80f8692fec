import { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A message as the test's mail server received it, parsed. */
export interface ReceivedMail {
  readonly messageId: string;
  readonly from: string;
  readonly to: string[];
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** The name the sending client gave in EHLO. */
  readonly client: string;
  /** When the server accepted it (its 250 to the data), by this process's clock. */
  readonly acceptedAt: number;
}

export interface SmtpTestServer {
  /** smtp://127.0.0.1:<port>, what SMTP_URL is set to. */
  readonly url: string;
  readonly port: number;
  readonly received: ReceivedMail[];
  /** Every recipient refused (see `refuse`), in order. */
  readonly refused: string[];
  /** The messages received for this address. */
  to(address: string): ReceivedMail[];
  /** Stops listening: the mail server is down (connections refused) until `start`. */
  stop(): Promise<void>;
  /** Listens again, on the same port. */
  start(): Promise<void>;
}

export interface SmtpTestServerOptions {
  readonly port?: number;
  /** How long each message is held before it is accepted, as a real server takes its time. */
  readonly delayMs?: number;
  /** Recipients refused for good (550 to RCPT TO), as a server refuses an address that does not exist. */
  readonly refuse?: (address: string) => boolean;
}

/**
 * A real SMTP server (the smtp-server package) on 127.0.0.1, for tests: no authentication, no
 * STARTTLS (plain SMTP on the loopback), every message parsed with mailparser and kept. `delayMs`
 * holds each message that long before accepting it; `refuse` names the addresses it refuses.
 */
export async function startSmtpTestServer(options: SmtpTestServerOptions = {}): Promise<SmtpTestServer> {
  const received: ReceivedMail[] = [];
  const refused: string[] = [];
  let server: SMTPServer | undefined;
  let port = options.port ?? 0;
  const listen = async () => {
    const smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onRcptTo(address, session, callback) {
        if (options.refuse?.(address.address)) {
          refused.push(address.address);
          return callback(Object.assign(new Error(`5.1.1 <${address.address}>: Recipient address rejected: User unknown`), { responseCode: 550 }));
        }
        callback();
      },
      onData(stream, session, callback) {
        simpleParser(stream)
          .then(async (parsed) => {
            if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
            const address = (value: typeof parsed.to) =>
              (Array.isArray(value) ? value : value ? [value] : []).flatMap((v) => v.value.map((a) => a.address ?? ''));
            received.push({
              messageId: parsed.messageId ?? '',
              from: parsed.from?.text ?? '',
              to: address(parsed.to),
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
              html: typeof parsed.html === 'string' ? parsed.html : '',
              client: session.hostNameAppearsAs,
              acceptedAt: Date.now(),
            });
            callback();
          })
          .catch((error: Error) => callback(error));
      },
    });
    await new Promise<void>((resolve, reject) => {
      smtp.once('error', reject);
      smtp.listen(port, '127.0.0.1', () => resolve());
    });
    smtp.on('error', () => undefined);
    port = ((smtp as unknown as { server: { address(): AddressInfo } }).server.address() as AddressInfo).port;
    server = smtp;
  };
  await listen();
  return {
    get url() {
      return `smtp://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    received,
    refused,
    to: (address) => received.filter((m) => m.to.includes(address)),
    stop: () =>
      new Promise<void>((resolve) => {
        const closing = server;
        server = undefined;
        if (!closing) return resolve();
        closing.close(() => resolve());
      }),
    start: async () => {
      if (!server) await listen();
    },
  };
}
