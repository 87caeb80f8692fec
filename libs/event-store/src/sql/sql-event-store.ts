import { EventEmitter } from 'node:events';
import { Kysely, sql } from 'kysely';
import {
  AppendResult,
  assertValidAppend,
  EventStore,
  ExpectedRevision,
  InvalidAppendError,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
  Subscription,
  WrongExpectedRevisionError,
} from '../event-store.port';
import { comparePositions, GlobalPosition, START } from '../position';
import { JalonTables } from './database';
import { pollingSubscription } from './polling-subscription';

/** Thrown inside the append transaction to roll it back when the stream is not where expected. */
class RevisionMismatch extends Error {}

interface EventRow {
  global_position: string;
  transaction_id: string;
  event_id: string;
  stream_id: string;
  stream_revision: string;
  event_type: string;
  schema_version: number;
  data: unknown;
  metadata: unknown;
  recorded_at: Date | string;
}

// Output columns are renamed text casts, so ORDER BY must name the table's columns (events.x):
// a bare name would sort by the text alias ('10' < '9').
const EVENT_COLUMNS = sql`global_position::text AS global_position, transaction_id::text AS transaction_id, event_id::text AS event_id, stream_id,
  stream_revision::text AS stream_revision, event_type, schema_version, data, metadata, recorded_at`;

/** Rows of transactions older than every transaction still running: nothing can appear before them any more. */
const SETTLED = sql`transaction_id < pg_snapshot_xmin(pg_current_snapshot())`;

export function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    id: row.event_id,
    type: row.event_type,
    schemaVersion: row.schema_version,
    data: row.data,
    metadata: (row.metadata ?? {}) as RecordedEvent['metadata'],
    streamId: row.stream_id,
    streamRevision: Number(row.stream_revision),
    position: { commit: BigInt(row.transaction_id), prepare: BigInt(row.global_position) },
    recordedAt: row.recorded_at instanceof Date ? row.recorded_at.toISOString() : new Date(row.recorded_at).toISOString(),
  };
}

/**
 * The event store on PostgreSQL or PGlite (same SQL). A stream's row in `streams` is the lock that
 * serialises its appends; the global log is read in (transaction id, sequence) order and only up
 * to the oldest running transaction, so a subscriber never skips an event that commits late.
 */
export class SqlEventStore implements EventStore {
  private readonly appended = new EventEmitter().setMaxListeners(0);

  constructor(
    private readonly db: Kysely<JalonTables>,
    private readonly options: {
      readonly pollIntervalMs?: number;
      /** Runs inside every append transaction just before it commits: a seam for fault injection in tests. */
      readonly beforeCommit?: () => Promise<void>;
    } = {},
  ) {}

  async append(streamId: string, events: readonly NewEvent[], { expectedRevision }: { expectedRevision: ExpectedRevision }): Promise<AppendResult> {
    assertValidAppend(streamId, events, expectedRevision);
    const rows = events.map((event) => {
      const data = JSON.stringify(event.data);
      const metadata = JSON.stringify(event.metadata ?? {});
      // jsonb cannot hold U+0000; refuse it plainly rather than with a server error.
      if (data.includes('\\u0000') || metadata.includes('\\u0000')) throw new InvalidAppendError(`event ${event.id} contains the character U+0000, which the store cannot keep`);
      return { event, data, metadata };
    });
    try {
      const result = await this.db.transaction().execute(async (trx) => {
        const revision = await this.claimRevisions(trx, streamId, events.length, expectedRevision);
        const first = revision - events.length + 1;
        const values = rows.map(
          ({ event, data, metadata }, i) => sql`(${event.id}::uuid, ${streamId}, ${first + i}, ${event.type}, ${event.schemaVersion ?? 1}, ${data}::jsonb, ${metadata}::jsonb)`,
        );
        const inserted = await sql<{ global_position: string; transaction_id: string }>`
          INSERT INTO events (event_id, stream_id, stream_revision, event_type, schema_version, data, metadata)
          VALUES ${sql.join(values)}
          RETURNING global_position::text AS global_position, transaction_id::text AS transaction_id`.execute(trx);
        await this.options.beforeCommit?.();
        const last = inserted.rows[inserted.rows.length - 1];
        return { nextExpectedRevision: revision, position: { commit: BigInt(last.transaction_id), prepare: BigInt(last.global_position) } };
      });
      this.appended.emit('appended');
      return result;
    } catch (error) {
      const mismatch = error instanceof RevisionMismatch;
      const duplicateId = (error as { code?: string }).code === '23505';
      if (!mismatch && !duplicateId) throw error;
      // A retry of an append whose outcome was unknown: if it did land, answer as it answered then.
      const earlier = await this.findEarlierAppend(streamId, events);
      if (earlier) return earlier;
      if (duplicateId) throw new InvalidAppendError('an event id of this append is already used by another event');
      throw new WrongExpectedRevisionError(streamId, expectedRevision, await this.currentRevision(streamId));
    }
  }

  /** Moves the stream's revision forward by `count` under its row lock; returns the new revision. */
  private async claimRevisions(trx: Kysely<JalonTables>, streamId: string, count: number, expected: ExpectedRevision): Promise<number> {
    const last = count - 1;
    const query =
      expected === 'no_stream'
        ? sql<{ revision: string }>`INSERT INTO streams (stream_id, revision) VALUES (${streamId}, ${last}) ON CONFLICT (stream_id) DO NOTHING RETURNING revision::text AS revision`
        : expected === 'any'
          ? sql<{ revision: string }>`INSERT INTO streams (stream_id, revision) VALUES (${streamId}, ${last})
              ON CONFLICT (stream_id) DO UPDATE SET revision = streams.revision + ${count} RETURNING revision::text AS revision`
          : expected === 'stream_exists'
            ? sql<{ revision: string }>`UPDATE streams SET revision = revision + ${count} WHERE stream_id = ${streamId} RETURNING revision::text AS revision`
            : sql<{ revision: string }>`UPDATE streams SET revision = revision + ${count} WHERE stream_id = ${streamId} AND revision = ${expected} RETURNING revision::text AS revision`;
    const { rows } = await query.execute(trx);
    if (rows.length === 0) throw new RevisionMismatch();
    return Number(rows[0].revision);
  }

  private async findEarlierAppend(streamId: string, events: readonly NewEvent[]): Promise<AppendResult | undefined> {
    const { rows } = await sql<EventRow>`SELECT ${EVENT_COLUMNS} FROM events WHERE event_id IN (${sql.join(events.map((e) => sql`${e.id}::uuid`))}) ORDER BY events.stream_revision`.execute(this.db);
    if (rows.length !== events.length) return undefined;
    const recorded = rows.map(toRecordedEvent);
    const sameAppend = recorded.every((r, i) => r.streamId === streamId && r.id.toLowerCase() === events[i].id.toLowerCase() && (i === 0 || r.streamRevision === recorded[i - 1].streamRevision + 1));
    if (!sameAppend) return undefined;
    const last = recorded[recorded.length - 1];
    return { nextExpectedRevision: last.streamRevision, position: last.position };
  }

  private async currentRevision(streamId: string): Promise<number | 'no_stream'> {
    const row = await this.db.selectFrom('streams').select(sql<string>`revision::text`.as('revision')).where('stream_id', '=', streamId).executeTakeFirst();
    return row ? Number(row.revision) : 'no_stream';
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const backwards = options.direction === 'backwards';
    const from = options.fromRevision;
    const limit = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    const bound = from === undefined ? sql`` : backwards ? sql`AND stream_revision <= ${from}` : sql`AND stream_revision >= ${from}`;
    const { rows } = await sql<EventRow>`
      SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = ${streamId} ${bound}
      ORDER BY events.stream_revision ${backwards ? sql`DESC` : sql`ASC`} LIMIT ${limit}`.execute(this.db);
    return rows.map(toRecordedEvent);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const after = options.after ?? START;
    const limit = options.maxCount ?? 1000;
    const bound = comparePositions(after, START) <= 0 ? sql`` : sql`AND (transaction_id, global_position) > (${after.commit.toString()}::xid8, ${after.prepare.toString()}::bigint)`;
    const { rows } = await sql<EventRow>`
      SELECT ${EVENT_COLUMNS} FROM events WHERE ${SETTLED} ${bound}
      ORDER BY events.transaction_id, events.global_position LIMIT ${limit}`.execute(this.db);
    return rows.map(toRecordedEvent);
  }

  async headPosition(): Promise<GlobalPosition> {
    const { rows } = await sql<{ transaction_id: string; global_position: string }>`
      SELECT transaction_id::text AS transaction_id, global_position::text AS global_position FROM events
      WHERE ${SETTLED} ORDER BY events.transaction_id DESC, events.global_position DESC LIMIT 1`.execute(this.db);
    return rows.length === 0 ? START : { commit: BigInt(rows[0].transaction_id), prepare: BigInt(rows[0].global_position) };
  }

  subscribeToAll(options: SubscribeOptions = {}): Subscription {
    return pollingSubscription((after, maxCount) => this.readAll({ after, maxCount }), this.appended, {
      after: options.after ?? START,
      batchSize: options.batchSize ?? 500,
      pollIntervalMs: this.options.pollIntervalMs ?? 100,
    });
  }

  async close(): Promise<void> {
    this.appended.removeAllListeners();
  }
}
