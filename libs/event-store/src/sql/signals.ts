import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { Client, Notification } from 'pg';

/** What one process tells the others sharing its database: events were appended; a projection's checkpoint moved (or stopped). */
export type SignalChannel = 'events' | 'checkpoints';

/** The PostgreSQL channels (per database, so test databases never hear each other). */
const CHANNELS: Readonly<Record<SignalChannel, string>> = { events: 'jalon_events', checkpoints: 'jalon_checkpoints' };
const BY_CHANNEL = new Map(Object.entries(CHANNELS).map(([signal, channel]) => [channel, signal as SignalChannel]));

/**
 * Wake-ups between the processes of one database: the api appends and the worker's projections
 * wake; the worker moves a checkpoint and the api's read-your-writes waiters wake. Only wake-ups:
 * whoever is woken reads the database for what changed, and whoever waits also polls (a signal
 * may be lost: a connection down, a process killed between its commit and its signal).
 */
export interface Signals {
  /**
   * Calls `listener` on each signal of `channel`, from this process (at once) or another one
   * (through the database), and once more whenever the listening connection is made (at first, and
   * again after it was lost), since signals sent before were lost. Returns what stops it.
   */
  on(channel: SignalChannel, listener: () => void): () => void;
  /**
   * Signals `channel`, after the write it is about has committed: back-to-back signals are
   * coalesced (one in flight, one more after it, at most one per few ms), a failure is dropped
   * (the poll catches up).
   */
  notify(channel: SignalChannel): void;
  close(): Promise<void>;
}

/** Signals within one process: the embedded PGlite is one process's alone, so there is nobody else to tell. */
export class LocalSignals implements Signals {
  protected readonly listeners = new EventEmitter().setMaxListeners(0);

  on(channel: SignalChannel, listener: () => void): () => void {
    this.listeners.on(channel, listener);
    return () => void this.listeners.off(channel, listener);
  }

  notify(channel: SignalChannel): void {
    this.emit(channel);
  }

  /** Calls the listeners of `channel`: they only wake sleepers, and one that throws is not the signaller's failure (an append committed). */
  protected emit(channel: SignalChannel): void {
    for (const listener of this.listeners.listeners(channel) as (() => void)[]) {
      try {
        listener();
      } catch {
        // nothing to undo: the listener will poll
      }
    }
  }

  async close(): Promise<void> {
    this.listeners.removeAllListeners();
  }
}

export interface PostgresSignalsOptions {
  /** How long after losing its listening connection it connects again (default 1 s). */
  readonly reconnectDelayMs?: number;
  /** The least time between two signals of a channel while writes keep coming (default 5 ms): the later ones wait and go as one. */
  readonly intervalMs?: number;
}

/**
 * Signals through PostgreSQL's LISTEN/NOTIFY. Listening takes a connection of its own (opened at
 * the first `on`, made again after it is lost); NOTIFY is sent on `send` (the pool) after the
 * commit, not inside the appending transaction: PostgreSQL serialises the commits of notifying
 * transactions, WAL flush included, on one lock, which about halved concurrent appends when
 * measured (README). The payload names the sending instance, so it does not hear itself twice.
 */
export class PostgresSignals extends LocalSignals {
  private readonly id = randomBytes(6).toString('hex');
  private client?: Client;
  private connecting?: Promise<Client | undefined>;
  private retry?: NodeJS.Timeout;
  private closed = false;
  private readonly sending = new Map<SignalChannel, 'once' | 'again'>();

  constructor(
    private readonly url: string,
    private readonly send: (channel: string, payload: string) => Promise<unknown>,
    private readonly options: PostgresSignalsOptions = {},
  ) {
    super();
  }

  override on(channel: SignalChannel, listener: () => void): () => void {
    const off = super.on(channel, listener);
    void this.connection();
    return off;
  }

  override notify(channel: SignalChannel): void {
    super.notify(channel);
    if (this.closed) return;
    if (this.sending.has(channel)) {
      // One is on its way, maybe sent before the write this one is about committed: one more after it.
      this.sending.set(channel, 'again');
      return;
    }
    this.sending.set(channel, 'once');
    void this.sendCoalesced(channel);
  }

  private async sendCoalesced(channel: SignalChannel): Promise<void> {
    try {
      for (;;) {
        this.sending.set(channel, 'once');
        const sentAt = performance.now();
        await this.send(CHANNELS[channel], this.id).catch(() => undefined);
        if (this.sending.get(channel) !== 'again' || this.closed) return;
        // Writes one after another (an import, a busy api): one signal per interval tells the
        // others of all of them, instead of one round trip per write; a lone write is signalled at once.
        const wait = (this.options.intervalMs ?? 5) - (performance.now() - sentAt);
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, Math.ceil(wait)));
        if (this.closed) return;
      }
    } finally {
      this.sending.delete(channel);
    }
  }

  private connection(): Promise<Client | undefined> {
    if (this.closed) return Promise.resolve(undefined);
    if (this.client) return Promise.resolve(this.client);
    this.connecting ??= this.connect().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private async connect(): Promise<Client | undefined> {
    const client = new Client({ connectionString: this.url, application_name: 'jalon-signals' });
    client.on('error', () => this.lost(client));
    client.on('end', () => this.lost(client));
    client.on('notification', (message: Notification) => {
      const channel = BY_CHANNEL.get(message.channel);
      if (channel && message.payload !== this.id) this.emit(channel);
    });
    try {
      await client.connect();
      await client.query(
        Object.values(CHANNELS)
          .map((name) => `LISTEN ${name};`)
          .join(' '),
      );
    } catch {
      void client.end().catch(() => undefined);
      this.reconnectLater();
      return undefined;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      return undefined;
    }
    this.client = client;
    // What was signalled before it listened (first, or again) is lost: every listener looks once.
    for (const channel of BY_CHANNEL.values()) this.emit(channel);
    return client;
  }

  private lost(client: Client): void {
    if (this.client !== client) return;
    this.client = undefined;
    void client.end().catch(() => undefined);
    this.reconnectLater();
  }

  private reconnectLater(): void {
    if (this.closed || this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      if ([...BY_CHANNEL.values()].some((channel) => this.listeners.listenerCount(channel) > 0)) void this.connection();
    }, this.options.reconnectDelayMs ?? 1000);
    this.retry.unref();
  }

  override async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    await this.connecting;
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
    await super.close();
  }
}
