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
import { EventsTable, JalonTables, SqlDatabase } from './database';
import { pollingSubscription } from './polling-subscription';

/** The append claimed nothing: the stream is not at the expected revision. */
class RevisionMismatch extends Error {}

/** An `events` row as the SELECTs below return it (PGlite may hand back the timestamp as text). */
type EventRow = Omit<EventsTable, 'recorded_at'> & { recorded_at: Date | string };

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
 * The event store on PostgreSQL or PGlite (same SQL). A stream's appends queue on its advisory
 * lock, so its transactions are numbered in the order of its revisions; the global log is read in (transaction id, sequence) order and only up
 * to the oldest running transaction, so a subscriber never skips an event that commits late.
 */
export class SqlEventStore implements EventStore {
  private readonly appended = new EventEmitter().setMaxListeners(0);

  private readonly db: Kysely<JalonTables>;

  constructor(
    private readonly sql: SqlDatabase,
    private readonly options: { readonly pollIntervalMs?: number } = {},
  ) {
    this.db = sql.db;
  }

  async append(streamId: string, events: readonly NewEvent[], { expectedRevision }: { expectedRevision: ExpectedRevision }): Promise<AppendResult> {
    assertValidAppend(streamId, events, expectedRevision);
    const rows = events.map((event) => {
      const data = JSON.stringify(event.data);
      const metadata = JSON.stringify(event.metadata ?? {});
      // jsonb cannot hold U+0000; refuse it plainly rather than with a server error.
      if (data.includes('\\u0000') || metadata.includes('\\u0000'))
        throw new InvalidAppendError(`event ${event.id} contains the character U+0000, which the store cannot keep`);
      return { event, data, metadata };
    });
    try {
      const result = await this.appendInOneStatement(streamId, rows, expectedRevision);
      this.appended.emit('appended');
      // Committed (one autocommit statement): the subscriptions and projections of other processes look now.
      this.sql.signals.notify('events');
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

  /**
   * Claims the revisions and inserts the events in one autocommit statement (see appendStatement):
   * one round trip instead of four keeps appends close to raw inserts.
   */
  private async appendInOneStatement(
    streamId: string,
    rows: readonly { event: NewEvent; data: string; metadata: string }[],
    expected: ExpectedRevision,
  ): Promise<AppendResult> {
    const count = rows.length;
    const kind = typeof expected === 'number' ? 'exact' : expected;
    const values: unknown[] = [streamId, count];
    if (kind === 'exact') values.push(expected);
    for (const [i, { event, data, metadata }] of rows.entries()) values.push(i, event.id, event.type, event.schemaVersion ?? 1, data, metadata);
    const inserted = await this.sql.prepared<{ global_position: string; transaction_id: string; stream_revision: string }>(
      `jalon_append_${kind}_${count}`,
      appendStatement(kind, count),
      values,
    );
    // Nothing claimed: the stream is not where the append expected it.
    if (inserted.length === 0) throw new RevisionMismatch();
    const last = inserted.reduce((a, b) => (Number(b.stream_revision) > Number(a.stream_revision) ? b : a));
    return { nextExpectedRevision: Number(last.stream_revision), position: { commit: BigInt(last.transaction_id), prepare: BigInt(last.global_position) } };
  }

  private async findEarlierAppend(streamId: string, events: readonly NewEvent[]): Promise<AppendResult | undefined> {
    const { rows } =
      await sql<EventRow>`SELECT ${EVENT_COLUMNS} FROM events WHERE event_id IN (${sql.join(events.map((e) => sql`${e.id}::uuid`))}) ORDER BY events.stream_revision`.execute(
        this.db,
      );
    if (rows.length !== events.length) return undefined;
    const recorded = rows.map(toRecordedEvent);
    const sameAppend = recorded.every(
      (r, i) =>
        r.streamId === streamId && r.id.toLowerCase() === events[i].id.toLowerCase() && (i === 0 || r.streamRevision === recorded[i - 1].streamRevision + 1),
    );
    if (!sameAppend) return undefined;
    const last = recorded[recorded.length - 1];
    return { nextExpectedRevision: last.streamRevision, position: last.position };
  }

  private async currentRevision(streamId: string): Promise<number | 'no_stream'> {
    const row = await this.db
      .selectFrom('streams')
      .select(sql<string>`revision::text`.as('revision'))
      .where('stream_id', '=', streamId)
      .executeTakeFirst();
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
    const bound =
      comparePositions(after, START) <= 0
        ? sql``
        : sql`AND (transaction_id, global_position) > (${after.commit.toString()}::xid8, ${after.prepare.toString()}::bigint)`;
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

  async heldBack(): Promise<boolean> {
    const { rows } = await sql<{ held: boolean }>`
      SELECT EXISTS (SELECT 1 FROM events WHERE transaction_id >= pg_snapshot_xmin(pg_current_snapshot())) AS held`.execute(this.db);
    return rows[0].held;
  }

  subscribeToAll(options: SubscribeOptions = {}): Subscription {
    return pollingSubscription((after, maxCount) => this.readAll({ after, maxCount }), this.appended, {
      after: options.after ?? START,
      batchSize: options.batchSize ?? 500,
      pollIntervalMs: this.options.pollIntervalMs ?? 100,
      // Appends of other processes, signalled through the database.
      signalled: (wake) => this.sql.signals.on('events', wake),
      heldBack: () => this.heldBack(),
    });
  }

  async close(): Promise<void> {
    this.appended.removeAllListeners();
  }
}

const statements = new Map<string, string>();

/**
 * Seed of the advisory lock key a stream's appends queue on (any constant: it only has to be the
 * same in every process; two streams whose keys collide merely queue behind each other).
 */
const STREAM_LOCK_SEED = 7_421_113;

/**
 * The append as one statement: queue on the stream's advisory lock, claim the revisions on the
 * stream's row, then insert the events numbered from the claimed revision.
 *
 * The log is read in transaction id order, so a stream's transactions must get their ids in the
 * order of its revisions. A row lock cannot promise that: PostgreSQL hands the transaction its id
 * when it starts the write, before it waits for the row, so the append that waited (and so took
 * the later revision) may hold the smaller id; a stream's first appends racing on the INSERT
 * showed it ~1 in 100 times. An advisory lock takes no transaction id: the append waits for
 * the stream's previous append to end before it writes anything, so its id is the larger. $1 stream, $2 count, [$3 expected], then
 * six parameters per event. Cached per shape, so each is parsed and planned once per connection.
 */
function appendStatement(kind: 'no_stream' | 'any' | 'stream_exists' | 'exact', count: number): string {
  const key = `${kind}/${count}`;
  const cached = statements.get(key);
  if (cached) return cached;
  const claim = {
    no_stream: 'INSERT INTO streams (stream_id, revision) SELECT $1, $2::int - 1 FROM stream_lock ON CONFLICT (stream_id) DO NOTHING RETURNING revision',
    any: 'INSERT INTO streams (stream_id, revision) SELECT $1, $2::int - 1 FROM stream_lock ON CONFLICT (stream_id) DO UPDATE SET revision = streams.revision + $2::int RETURNING revision',
    stream_exists: 'UPDATE streams SET revision = revision + $2::int FROM stream_lock WHERE stream_id = $1 RETURNING revision',
    exact: 'UPDATE streams SET revision = revision + $2::int FROM stream_lock WHERE stream_id = $1 AND revision = $3::bigint RETURNING revision',
  }[kind];
  const first = kind === 'exact' ? 4 : 3;
  const rows = Array.from({ length: count }, (_, i) => {
    const p = first + i * 6;
    return `($${p}::int, $${p + 1}::uuid, $${p + 2}::text, $${p + 3}::int, $${p + 4}::jsonb, $${p + 5}::jsonb)`;
  });
  const text = `WITH stream_lock AS MATERIALIZED (SELECT pg_advisory_xact_lock(hashtextextended($1, ${STREAM_LOCK_SEED}))),
    claimed AS (${claim})
    INSERT INTO events (event_id, stream_id, stream_revision, event_type, schema_version, data, metadata)
    SELECT v.event_id, $1, claimed.revision - ($2::int - 1) + v.i, v.event_type, v.schema_version, v.data, v.metadata
    FROM claimed CROSS JOIN (VALUES ${rows.join(', ')}) AS v (i, event_id, event_type, schema_version, data, metadata)
    ORDER BY v.i
    RETURNING global_position::text AS global_position, transaction_id::text AS transaction_id, stream_revision::text AS stream_revision`;
  if (count <= 16) statements.set(key, text);
  return text;
}
