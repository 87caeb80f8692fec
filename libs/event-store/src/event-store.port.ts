import { GlobalPosition } from './position';

/** What the append expects the stream to be: absent, present, at an exact revision, or anything. */
export type ExpectedRevision = 'no_stream' | 'stream_exists' | 'any' | number;

export interface EventMetadata {
  readonly correlationId?: string;
  readonly causationId?: string;
  readonly actor?: { readonly id: string; readonly role: string };
  /** When the fact happened in the domain (the command's clock), as opposed to `recordedAt`. */
  readonly occurredAt?: string;
  readonly [key: string]: unknown;
}

export interface NewEvent {
  /** Chosen by the client (a UUID), so a retry after an unknown outcome appends once. */
  readonly id: string;
  readonly type: string;
  readonly schemaVersion?: number;
  readonly data: unknown;
  readonly metadata?: EventMetadata;
}

export interface RecordedEvent {
  readonly id: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: unknown;
  readonly metadata: EventMetadata;
  readonly streamId: string;
  /** 0-based revision of the event in its stream. */
  readonly streamRevision: number;
  readonly position: GlobalPosition;
  readonly recordedAt: string;
}

export interface AppendResult {
  /** The stream's revision after the append: the expected revision of the next one. */
  readonly nextExpectedRevision: number;
  /** Position of the last event appended: what a caller waits for read models to reach. */
  readonly position: GlobalPosition;
}

export interface ReadStreamOptions {
  readonly direction?: 'forwards' | 'backwards';
  /** Inclusive; defaults to the start (forwards) or the end (backwards). */
  readonly fromRevision?: number;
  readonly maxCount?: number;
}

export interface ReadAllOptions {
  /** Exclusive: events strictly after this position. */
  readonly after?: GlobalPosition;
  readonly maxCount?: number;
}

export interface SubscribeOptions {
  /** Exclusive checkpoint to resume from; START for the whole log. */
  readonly after?: GlobalPosition;
  readonly batchSize?: number;
}

/** Catches up from a checkpoint, then goes live; iterate it to get batches in log order. */
export interface Subscription extends AsyncIterable<readonly RecordedEvent[]> {
  stop(): Promise<void>;
}

/** The one event store interface the rest of Jalon uses (DESIGN.md decision 2). */
export interface EventStore {
  append(streamId: string, events: readonly NewEvent[], options: { readonly expectedRevision: ExpectedRevision }): Promise<AppendResult>;
  /** The stream's events, or [] when it does not exist. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  subscribeToAll(options?: SubscribeOptions): Subscription;
  /** Position of the last visible event of the log (START when empty). */
  headPosition(): Promise<GlobalPosition>;
  /**
   * Whether events are committed that `readAll` does not show yet, held back behind an older
   * transaction still running (the SQL log's order, DESIGN.md decision 3): a reader that found
   * nothing after a signal looks again shortly. Adapters whose log shows every event at once omit it.
   */
  heldBack?(): Promise<boolean>;
  close(): Promise<void>;
}

export class EventStoreError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The stream is not at the revision the append expected (optimistic concurrency). */
export class WrongExpectedRevisionError extends EventStoreError {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    readonly actual: number | 'no_stream',
  ) {
    super(
      'EVENT_STORE.WRONG_EXPECTED_REVISION',
      `stream ${streamId} is at ${actual === 'no_stream' ? 'no stream' : `revision ${actual}`}, expected ${typeof expected === 'number' ? `revision ${expected}` : expected}`,
    );
  }
}

export class InvalidAppendError extends EventStoreError {
  constructor(message: string) {
    super('EVENT_STORE.INVALID_ARGUMENT', message);
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const MAX_STREAM_ID_LENGTH = 1000;

/** The checks every adapter applies before touching storage, so bad input fails alike everywhere. */
export function assertValidAppend(streamId: string, events: readonly NewEvent[], expectedRevision: ExpectedRevision): void {
  if (typeof streamId !== 'string' || streamId.trim() === '') throw new InvalidAppendError('the stream id is empty');
  if (streamId.length > MAX_STREAM_ID_LENGTH) throw new InvalidAppendError(`the stream id is longer than ${MAX_STREAM_ID_LENGTH} characters`);
  if (streamId.startsWith('$')) throw new InvalidAppendError('stream ids starting with $ are reserved');
  const validRevision =
    typeof expectedRevision === 'number'
      ? Number.isSafeInteger(expectedRevision) && expectedRevision >= 0
      : ['no_stream', 'stream_exists', 'any'].includes(expectedRevision as string);
  if (!validRevision)
    throw new InvalidAppendError(`unknown expected revision ${String(expectedRevision)}: use 'no_stream', 'stream_exists', 'any' or a revision ≥ 0`);
  if (!Array.isArray(events) || events.length === 0) throw new InvalidAppendError('nothing to append');
  const ids = new Set<string>();
  for (const event of events) {
    if (!UUID.test(event.id)) throw new InvalidAppendError(`event id ${String(event.id)} is not a UUID`);
    if (ids.has(event.id.toLowerCase())) throw new InvalidAppendError(`event id ${event.id} appears twice in one append`);
    ids.add(event.id.toLowerCase());
    if (typeof event.type !== 'string' || event.type.trim() === '') throw new InvalidAppendError('an event has no type');
    if (event.data === undefined) throw new InvalidAppendError(`event ${event.id} has no data`);
  }
}
