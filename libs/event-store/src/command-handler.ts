import { randomUUID } from 'node:crypto';
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
  const decode = handling.decode ?? (async (recorded: readonly RecordedEvent[]) => recorded.map((r) => fromRecorded<E>(r)));
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    // A conflict means the known stream is stale: later attempts read it afresh.
    const recorded = attempt === 1 && handling.known ? handling.known : await store.readStream(handling.streamId);
    const state = (await decode(recorded)).reduce(handling.evolve, handling.initial());
    const current = recorded.length === 0 ? null : recorded[recorded.length - 1].streamRevision;
    const events = await handling.decide(state);
    if (events.length === 0) return { events, nextExpectedRevision: current, position: null };
    const stored = handling.encode ? await handling.encode(events, state) : events;
    const batch = stored.map((event, i) => ({ id: randomUUID(), type: event.type, data: event.data, metadata: handling.metadata(events[i]) }));
    const expectedRevision = current === null ? ('no_stream' as const) : current;
    try {
      const result = await appendRetryingUnknownOutcome(() => store.append(handling.streamId, batch, { expectedRevision }));
      return { events, nextExpectedRevision: result.nextExpectedRevision, position: result.position };
    } catch (error) {
      if (error instanceof WrongExpectedRevisionError) continue;
      throw error;
    }
  }
  throw new ConcurrencyConflictError(handling.streamId, maxAttempts);
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
