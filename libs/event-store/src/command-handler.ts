import { randomUUID } from 'node:crypto';
import { currentDerivedIds } from './derived-ids';
import { EventMetadata, EventStore, EventStoreError, InvalidAppendError, RecordedEvent, WrongExpectedRevisionError } from './event-store.port';
import { GlobalPosition } from './position';

/** A decided event as the domain writes it: a type and its data. */
export interface TypedEvent {
  readonly type: string;
  readonly data: unknown;
}

export interface CommandHandling<S, E extends TypedEvent> {
  readonly streamId: string;
  readonly initial: () => S;
  readonly evolve: (state: S, event: E) => S;
  /** The decision, with the command already bound: state → new events (or a thrown domain error). */
  readonly decide: (state: S) => readonly E[] | Promise<readonly E[]>;
  /** Metadata for each new event: actor, occurred-at, correlation and causation ids. */
  readonly metadata: (event: E) => EventMetadata;
  readonly maxAttempts?: number;
  /** Stored events → domain events, e.g. with sealed personal data opened; as stored when absent. */
  readonly decode?: (recorded: readonly RecordedEvent[]) => Promise<readonly E[]>;
  /** Decided events → what is stored, e.g. with personal data sealed, given the state they were decided on. */
  readonly encode?: (events: readonly E[], state: S) => Promise<readonly E[]>;
  /** The stream as the caller already read it: the first attempt decides on it instead of reading again. */
  readonly known?: readonly RecordedEvent[];
  /**
   * Folded states of streams this process wrote or read lately: the first attempt decides on the
   * cached state instead of reading the stream. Only for handlings without `decode`, so a cached
   * state is exactly the fold of the events as stored (never of opened personal data).
   */
  readonly cache?: StreamStateCache<S>;
}

/** A stream's folded state and the revision of the last event folded into it. */
export interface CachedStreamState<S> {
  readonly state: S;
  readonly revision: number;
}

export interface StreamStateCache<S> {
  get(streamId: string): CachedStreamState<S> | undefined;
  set(streamId: string, entry: CachedStreamState<S>): void;
  delete(streamId: string): void;
}

/**
 * The `capacity` streams used last, by least recent use (a Map keeps insertion order: a hit is
 * moved to the end, the first key is the oldest). States are immutable values, shared as they are.
 */
export class RecentStreamStates<S> implements StreamStateCache<S> {
  private readonly entries = new Map<string, CachedStreamState<S>>();

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`a stream state cache holds at least 1 stream, got ${capacity}`);
  }

  get size(): number {
    return this.entries.size;
  }

  get(streamId: string): CachedStreamState<S> | undefined {
    const entry = this.entries.get(streamId);
    if (entry) {
      this.entries.delete(streamId);
      this.entries.set(streamId, entry);
    }
    return entry;
  }

  set(streamId: string, entry: CachedStreamState<S>): void {
    this.entries.delete(streamId);
    this.entries.set(streamId, entry);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }

  delete(streamId: string): void {
    this.entries.delete(streamId);
  }
}

export interface CommandResult<E> {
  readonly events: readonly E[];
  /** The stream's revision after the command (null when the stream still does not exist). */
  readonly nextExpectedRevision: number | null;
  /** Where the last new event stands in the global log; null when the command decided nothing. */
  readonly position: GlobalPosition | null;
}

/** Retries could not get the command through: others kept writing the same stream. */
export class ConcurrencyConflictError extends EventStoreError {
  constructor(
    readonly streamId: string,
    readonly attempts: number,
  ) {
    super('EVENT_STORE.CONCURRENCY_CONFLICT', `stream ${streamId} kept changing under the command (${attempts} attempts); try again`);
  }
}

export const fromRecorded = <E extends TypedEvent>(recorded: RecordedEvent): E => ({ type: recorded.type, data: recorded.data }) as E;

/**
 * The one pipeline for every command: load the stream, fold, decide, append with the expected
 * revision. A conflict means someone wrote in between: reload and decide again, a few times. An
 * append whose outcome is unknown (the connection dropped) is retried with the same event ids,
 * which the store appends at most once.
 */
export async function handleCommand<S, E extends TypedEvent>(store: EventStore, handling: CommandHandling<S, E>): Promise<CommandResult<E>> {
  const maxAttempts = handling.maxAttempts ?? 5;
  const { cache, streamId } = handling;
  if (cache && handling.decode) throw new Error('a stream state cache holds states folded from the events as stored: it cannot be used with a decode');
  const decode = handling.decode ?? (async (recorded: readonly RecordedEvent[]) => recorded.map((r) => fromRecorded<E>(r)));
  // Within a repeatable request (an Idempotency-Key), the batch's ids are derived from the request:
  // the same for every attempt here and for a retry of the request after this process died.
  const derived = currentDerivedIds();
  const eventIdAt = derived ? derived.nextBatch(streamId) : () => randomUUID();
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    // A conflict means the known stream or the cached state is stale: later attempts read it afresh.
    // A repeatable request reads the stream: only the stream can say whether its batch is there already.
    const cached = attempt === 1 && !handling.known && !derived ? cache?.get(streamId) : undefined;
    let state: S;
    let current: number | null;
    if (cached) {
      state = cached.state;
      current = cached.revision;
    } else {
      const recorded = attempt === 1 && handling.known ? handling.known : await store.readStream(streamId);
      const decoded = await decode(recorded);
      state = decoded.reduce(handling.evolve, handling.initial());
      current = recorded.length === 0 ? null : recorded[recorded.length - 1].streamRevision;
      if (cache && current !== null) cache.set(streamId, { state, revision: current });
      const earlier = derived ? findOwnBatch(recorded, eventIdAt) : undefined;
      // This very request was appended before (by an attempt whose answer was lost): answer what it appended.
      if (earlier)
        return {
          events: decoded.slice(earlier.from, earlier.to + 1),
          nextExpectedRevision: recorded[earlier.to].streamRevision,
          position: recorded[earlier.to].position,
        };
    }
    let events: readonly E[];
    try {
      events = await handling.decide(state);
    } catch (error) {
      // A refusal decided on a cached state stands only if the stream has not moved since.
      if (cached && (await movedSince(store, streamId, cached.revision))) continue;
      throw error;
    }
    if (events.length === 0) {
      if (cached && (await movedSince(store, streamId, cached.revision))) continue;
      return { events, nextExpectedRevision: current, position: null };
    }
    const stored = handling.encode ? await handling.encode(events, state) : events;
    const batch = stored.map((event, i) => ({ id: eventIdAt(i), type: event.type, data: event.data, metadata: handling.metadata(events[i]) }));
    const expectedRevision = current === null ? ('no_stream' as const) : current;
    try {
      const result = await appendRetryingUnknownOutcome(() => store.append(streamId, batch, { expectedRevision }));
      // The events as stored, folded onto the state they were decided on: what a read would give,
      // as long as the fold reads events as JSON values (the domain's property tests check it).
      if (cache) cache.set(streamId, { state: stored.reduce(handling.evolve, state), revision: result.nextExpectedRevision });
      return { events, nextExpectedRevision: result.nextExpectedRevision, position: result.position };
    } catch (error) {
      cache?.delete(streamId);
      if (error instanceof WrongExpectedRevisionError) continue;
      throw error;
    }
  }
  throw new ConcurrencyConflictError(streamId, maxAttempts);
}

/** Where in the stream the batch whose ids are `eventIdAt(0…)` stands, if it was appended. */
function findOwnBatch(recorded: readonly RecordedEvent[], eventIdAt: (index: number) => string): { from: number; to: number } | undefined {
  const first = eventIdAt(0);
  const from = recorded.findIndex((event) => event.id.toLowerCase() === first);
  if (from < 0) return undefined;
  let to = from;
  while (to + 1 < recorded.length && recorded[to + 1].id.toLowerCase() === eventIdAt(to + 1 - from)) to++;
  return { from, to };
}

/** Whether events were appended to the stream after `revision` (by another process, say). */
async function movedSince(store: EventStore, streamId: string, revision: number): Promise<boolean> {
  return (await store.readStream(streamId, { fromRevision: revision + 1, maxCount: 1 })).length > 0;
}

async function appendRetryingUnknownOutcome<T>(append: () => Promise<T>, tries = 3): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await append();
    } catch (error) {
      const definite = error instanceof EventStoreError || error instanceof InvalidAppendError;
      if (definite || i >= tries) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * i));
    }
  }
}
