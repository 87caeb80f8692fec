import { CommandResult, fromRecorded, handleCommand, StreamStateCache, TypedEvent } from './command-handler';
import { EventMetadata, EventStore, RecordedEvent } from './event-store.port';
import { GlobalPosition } from './position';

/** A stream type as its decider module describes it: where its streams live and how they fold. */
export interface StreamType<S, E> {
  readonly streamIdOf: (id: string) => string;
  readonly initialState: () => S;
  readonly evolve: (state: S, event: E) => S;
}

/** Every domain event says who decided it and when (the command's clock): its metadata is read from there. */
export interface DecidedEvent extends TypedEvent {
  readonly data: { readonly by: { readonly id: string; readonly role: string }; readonly at: string };
}

/** How a stream type's events are stored: sealed on the way in, opened (or not) on the way out. */
export interface StreamCodec<S, E> {
  readonly decode?: (recorded: readonly RecordedEvent[]) => Promise<readonly E[]>;
  readonly encode?: (events: readonly E[], state: S) => Promise<readonly E[]>;
}

export interface StreamCommandHandlerOptions<S, E> {
  /** The codec for a decision that opens the sealed facts (`open`) or decides on their markers. */
  readonly codec?: (open: boolean) => StreamCodec<S, E>;
  /** Folded states of recent streams, for decisions that open nothing (never an opened state). */
  readonly cache?: StreamStateCache<S>;
  /** Called after each command that appended something (e.g. to wake the projections). */
  readonly appended?: (position: GlobalPosition) => void;
}

/** What a command says beyond its decision. */
export interface CommandContext {
  /** The organisation the events belong to (scoping of reads and metadata). */
  readonly organisationId?: string;
  readonly correlationId?: string;
  /** What caused the command when it is not a person's request (a transfer's completion, a job). */
  readonly causationId?: string;
  /** Whether the decision reads the sealed facts opened (least privilege: false unless it must). */
  readonly open?: boolean;
  /** The stream as the caller already read it. */
  readonly known?: readonly RecordedEvent[];
}

export interface HandledCommand<E> extends CommandResult<E> {
  readonly streamId: string;
}

/** A stream as read: the events as stored (ids, positions), their domain form through the codec, and their fold. */
export interface LoadedStream<S, E> {
  readonly recorded: readonly RecordedEvent[];
  readonly events: readonly E[];
  readonly state: S;
}

/**
 * The one way a stream type is written, and read to decide or to answer: built once per type with
 * its codec, its cache and what follows an append, so every command gets the same pipeline
 * (handleCommand: load, fold, decide, append with the expected revision) and the same metadata,
 * read from each event's `by` and `at`.
 */
export class StreamCommandHandler<S, E extends DecidedEvent> {
  constructor(
    private readonly store: EventStore,
    private readonly type: StreamType<S, E>,
    private readonly options: StreamCommandHandlerOptions<S, E> = {},
  ) {}

  async handle(id: string, decide: (state: S) => readonly E[] | Promise<readonly E[]>, context: CommandContext = {}): Promise<HandledCommand<E>> {
    const streamId = this.type.streamIdOf(id);
    const codec = this.options.codec?.(context.open ?? false) ?? {};
    const { organisationId, correlationId, causationId } = context;
    const result = await handleCommand<S, E>(this.store, {
      streamId,
      initial: this.type.initialState,
      evolve: this.type.evolve,
      ...codec,
      // A state folded from opened facts is never kept: personal data stays sealed in memory too (R14).
      ...(codec.decode ? {} : { cache: this.options.cache }),
      known: context.known,
      decide,
      metadata: (event): EventMetadata => ({
        actor: event.data.by,
        occurredAt: event.data.at,
        ...(organisationId ? { organisationId } : {}),
        ...(correlationId ? { correlationId } : {}),
        ...(causationId ? { causationId } : {}),
      }),
    });
    // After a decision on opened facts, the cached state (sealed) is behind the stream: the next command reads it.
    if (codec.decode) this.options.cache?.delete(streamId);
    if (result.position) this.options.appended?.(result.position);
    return { streamId, ...result };
  }

  /** The stream read and folded, its sealed facts opened only when asked (`open`). */
  async load(id: string, options: { open?: boolean } = {}): Promise<LoadedStream<S, E>> {
    const recorded = await this.store.readStream(this.type.streamIdOf(id));
    const { decode } = this.options.codec?.(options.open ?? false) ?? {};
    const events = decode ? await decode(recorded) : recorded.map((r) => fromRecorded<E>(r));
    return { recorded, events, state: events.reduce(this.type.evolve, this.type.initialState()) };
  }
}
