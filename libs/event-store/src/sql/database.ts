import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { Client, Pool } from 'pg';
import { lockFile } from './directory-lock';
import { PGlitePool } from './pglite-pool';
import { LocalSignals, PostgresSignals, PostgresSignalsOptions, Signals } from './signals';

/** The tables Jalon's SQL homes hold, for Kysely's typed queries. */
export interface EventsTable {
  global_position: string;
  transaction_id: string;
  event_id: string;
  stream_id: string;
  stream_revision: string;
  event_type: string;
  schema_version: number;
  data: unknown;
  metadata: unknown;
  recorded_at: Date;
}

export interface StreamsTable {
  stream_id: string;
  revision: string;
}

export interface ProjectionCheckpointsTable {
  projection: string;
  commit_position: string;
  prepare_position: string;
  events_applied: string;
  updated_at: Date;
  status: 'running' | 'failed';
  error: string | null;
  failed_event_id: string | null;
  table_version: number;
}

/** Queries over tables owned by projections and migrations, which the store's schema type (JalonTables) does not describe. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- those tables are each projection's and migration's own
export type SqlDb = Kysely<any>;

export interface JalonTables {
  events: EventsTable;
  streams: StreamsTable;
  projection_checkpoints: ProjectionCheckpointsTable;
}

export type SqlBackend =
  | { readonly kind: 'postgres'; readonly url: string; readonly poolSize?: number; readonly signals?: PostgresSignalsOptions }
  | { readonly kind: 'pglite'; readonly dataDir?: string };

/** One SQL home: PostgreSQL through `pg`, or PGlite in-process. The same SQL runs on both. */
export interface SqlDatabase {
  readonly kind: SqlBackend['kind'];
  readonly db: Kysely<JalonTables>;
  /**
   * One statement outside Kysely, for hot paths: on PostgreSQL a named (server-side prepared)
   * statement, parsed and planned once per connection; on PGlite, in turn with Kysely's queries.
   */
  prepared<R>(name: string, text: string, values: readonly unknown[]): Promise<R[]>;
  /**
   * Takes the session-level advisory lock (key1, key2) on a session of its own and holds it until
   * close, so others can tell from `pg_locks` that this process is alive: the server drops it the
   * moment the process dies. A session lost meanwhile (a server restart) is reopened and the lock taken again.
   */
  holdAdvisoryLock(key1: number, key2: number): Promise<void>;
  /** Wake-ups between the processes on this database (LISTEN/NOTIFY on PostgreSQL; within the process on PGlite). */
  readonly signals: Signals;
  close(): Promise<void>;
}

export async function openSqlDatabase(backend: SqlBackend): Promise<SqlDatabase> {
  if (backend.kind === 'postgres') {
    const pool = new Pool({ connectionString: backend.url, max: backend.poolSize ?? 10 });
    let closing = false;
    // An idle connection the server closes (restart, failover) must not bring the process down:
    // the pool drops it and the next query opens another. Once closing, the sockets that Pool.end()
    // leaves behind for a moment are ours to lose: that is not worth a line.
    pool.on('error', (error) => {
      if (!closing) console.error(`PostgreSQL connection lost: ${error.message}`);
    });
    // Fail now, with the server's own reason, rather than at the first command.
    const client = await pool.connect();
    client.release();
    const db = new Kysely<JalonTables>({ dialect: new PostgresDialect({ pool }) });
    // A connection apart from the pool: held for ever, it must not take one of the pool's.
    let lockSession: Client | undefined;
    const holdAdvisoryLock = async (key1: number, key2: number): Promise<void> => {
      const session = new Client({ connectionString: backend.url });
      session.on('error', () => {
        session.end().catch(() => undefined);
        if (closing || lockSession !== session) return;
        lockSession = undefined;
        const retake = () => void holdAdvisoryLock(key1, key2).catch(() => (closing ? undefined : setTimeout(retake, 1000).unref()));
        setTimeout(retake, 1000).unref();
      });
      await session.connect();
      await session.query('SELECT pg_advisory_lock($1::int4, $2::int4)', [key1, key2]);
      lockSession = session;
    };
    const signals = new PostgresSignals(
      backend.url,
      (channel, payload) => pool.query({ name: 'jalon_notify', text: 'SELECT pg_notify($1, $2)', values: [channel, payload] }),
      backend.signals,
    );
    return {
      kind: 'postgres',
      db,
      prepared: async <R>(name: string, text: string, values: readonly unknown[]) => (await pool.query<R & object>({ name, text, values: [...values] })).rows,
      holdAdvisoryLock,
      signals,
      close: async () => {
        closing = true;
        await signals.close();
        await lockSession?.end().catch(() => undefined);
        return db.destroy();
      },
    };
  }
  // One process at a time on an embedded database's files; in memory, nothing is shared.
  const release = backend.dataDir ? lockFile(`${backend.dataDir}.lock`, `the embedded database ${backend.dataDir}`) : () => undefined;
  let pglite: PGlite;
  try {
    pglite = backend.dataDir ? await PGlite.create(backend.dataDir) : await PGlite.create();
  } catch (error) {
    release();
    throw error;
  }
  const session = new PGlitePool(pglite);
  const db = new Kysely<JalonTables>({ dialect: new PostgresDialect({ pool: session }) });
  const signals = new LocalSignals();
  return {
    kind: 'pglite',
    db,
    prepared: async <R>(_name: string, text: string, values: readonly unknown[]) => {
      const client = await session.connect();
      try {
        return (await client.query<R>(text, values)).rows;
      } finally {
        client.release();
      }
    },
    // One session in all: a lock taken on it is held until the database closes with the process.
    holdAdvisoryLock: async (key1: number, key2: number) => {
      await sql`SELECT pg_advisory_lock(${key1}::int4, ${key2}::int4)`.execute(db);
    },
    signals,
    close: async () => {
      await signals.close();
      try {
        await db.destroy();
      } finally {
        release();
      }
    },
  };
}
