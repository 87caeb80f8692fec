import {
  ANY,
  AppendExpectedRevision,
  BACKWARDS,
  END,
  EventStoreDBClient,
  excludeSystemEvents,
  FORWARDS,
  jsonEvent,
  NO_STREAM,
  ResolvedEvent,
  START as ESDB_START,
  STREAM_EXISTS,
  StreamNotFoundError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import {
  AppendResult,
  assertValidAppend,
  EventStore,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
  Subscription,
  WrongExpectedRevisionError,
} from '../event-store.port';
import { comparePositions, GlobalPosition, START } from '../position';

/**
 * The event store on EventStoreDB, for production at scale. Kept thin on purpose: the expected
 * revision semantics, idempotent appends by event id and $all positions are the server's own, and
 * the shared contract suite checks them when EVENTSTORE_CONNECTION_STRING is set.
 */
export class EventStoreDbEventStore implements EventStore {
  private constructor(private readonly client: EventStoreDBClient) {}

  static connect(connectionString: string): EventStoreDbEventStore {
    return new EventStoreDbEventStore(EventStoreDBClient.connectionString(connectionString));
  }

  async append(streamId: string, events: readonly NewEvent[], { expectedRevision }: { expectedRevision: ExpectedRevision }): Promise<AppendResult> {
    assertValidAppend(streamId, events, expectedRevision);
    const expected: AppendExpectedRevision =
      expectedRevision === 'no_stream'
        ? NO_STREAM
        : expectedRevision === 'any'
          ? ANY
          : expectedRevision === 'stream_exists'
            ? STREAM_EXISTS
            : BigInt(expectedRevision);
    try {
      const result = await this.client.appendToStream(
        streamId,
        events.map((e) =>
          jsonEvent({ id: e.id, type: e.type, data: e.data as never, metadata: { ...(e.metadata ?? {}), schemaVersion: e.schemaVersion ?? 1 } }),
        ),
        { expectedRevision: expected },
      );
      if (!result.position) throw new Error('EventStoreDB returned no position for the append');
      return { nextExpectedRevision: Number(result.nextExpectedRevision), position: result.position };
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) {
        const actual = typeof error.actualVersion === 'bigint' ? Number(error.actualVersion) : 'no_stream';
        throw new WrongExpectedRevisionError(streamId, expectedRevision, actual);
      }
      throw error;
    }
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const backwards = options.direction === 'backwards';
    const events: RecordedEvent[] = [];
    try {
      for await (const resolved of this.client.readStream(streamId, {
        direction: backwards ? BACKWARDS : FORWARDS,
        fromRevision: options.fromRevision !== undefined ? BigInt(options.fromRevision) : backwards ? END : ESDB_START,
        maxCount: options.maxCount ?? Number.MAX_SAFE_INTEGER,
      })) {
        const event = toRecorded(resolved);
        if (event) events.push(event);
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
    return events;
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const after = options.after ?? START;
    const maxCount = options.maxCount ?? 1000;
    const events: RecordedEvent[] = [];
    const from = comparePositions(after, START) <= 0 ? ESDB_START : after;
    // Reading $all from a position includes the event at it: read one more and drop it.
    for await (const resolved of this.client.readAll({ fromPosition: from, maxCount: maxCount + 1 })) {
      const event = toRecorded(resolved);
      if (event && comparePositions(event.position, after) > 0) events.push(event);
    }
    return events.slice(0, maxCount);
  }

  async headPosition(): Promise<GlobalPosition> {
    for await (const resolved of this.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 })) {
      const event = toRecorded(resolved);
      if (event) return event.position;
    }
    return START;
  }

  subscribeToAll(options: SubscribeOptions = {}): Subscription {
    const after = options.after ?? START;
    const subscription = this.client.subscribeToAll({ fromPosition: comparePositions(after, START) <= 0 ? ESDB_START : after, filter: excludeSystemEvents() });
    async function* batches(): AsyncGenerator<readonly RecordedEvent[]> {
      for await (const resolved of subscription) {
        const event = toRecorded(resolved as ResolvedEvent);
        if (event) yield [event];
      }
    }
    const iterator = batches();
    return { [Symbol.asyncIterator]: () => iterator, stop: () => subscription.unsubscribe() };
  }

  async close(): Promise<void> {
    await this.client.dispose();
  }
}

function toRecorded(resolved: ResolvedEvent): RecordedEvent | undefined {
  const event = resolved.event;
  if (!event || !event.position || event.type.startsWith('$')) return undefined;
  const { schemaVersion, ...metadata } = (event.metadata ?? {}) as Record<string, unknown>;
  return {
    id: event.id,
    type: event.type,
    schemaVersion: typeof schemaVersion === 'number' ? schemaVersion : 1,
    data: event.data,
    metadata,
    streamId: event.streamId,
    streamRevision: Number(event.revision),
    position: event.position,
    recordedAt: new Date(event.created).toISOString(),
  };
}
