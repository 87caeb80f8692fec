import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AppConfig } from '@jalon/config';
import { EventStoreDbEventStore } from './eventstoredb/eventstoredb-event-store';
import { EventStore } from './event-store.port';
import { Signals } from './sql/signals';
import { openSqlDatabase, SqlDatabase } from './sql/database';
import { DirectoryInUseError } from './sql/directory-lock';
import { migrateToLatest } from './sql/migrations';
import { SqlEventStore } from './sql/sql-event-store';

/** Where the service keeps its events and its read models, as configured. */
export interface Storage {
  readonly store: EventStore;
  /** Read models and checkpoints: PostgreSQL, or the embedded PGlite. */
  readonly sql: SqlDatabase;
  close(): Promise<void>;
}

/** A store that cannot be reached at start-up: one line that says which and why. */
export class StorageUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StorageUnavailableError';
  }
}

const describeError = (error: unknown) => (error instanceof Error ? error.message || error.name : String(error)).split('\n')[0];

const redact = (url: string) => {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
};

export async function openStorage(config: AppConfig): Promise<Storage> {
  // The remote event store is checked first, so an unreachable one changes nothing anywhere.
  const remote = config.eventStore === 'eventstoredb' ? await connectEventStoreDb(config.eventStoreConnectionString!) : undefined;
  let sql: SqlDatabase;
  try {
    sql = await openReadModelDatabase(config);
  } catch (error) {
    await remote?.close().catch(() => undefined);
    throw error;
  }
  await migrateToLatest(sql.db);
  const store = remote ? signallingAppends(remote, sql.signals) : new SqlEventStore(sql, { pollIntervalMs: config.pollIntervalMs });
  return {
    store,
    sql,
    async close() {
      await store.close();
      await sql.close();
    },
  };
}

/**
 * EventStoreDB's appends signalled on the read models' PostgreSQL too, as the SQL store signals
 * its own: the projection runners of other processes read the log by polling it, and wake on it.
 */
function signallingAppends(store: EventStore, signals: Signals): EventStore {
  return {
    async append(streamId, events, options) {
      const result = await store.append(streamId, events, options);
      signals.notify('events');
      return result;
    },
    readStream: (streamId, options) => store.readStream(streamId, options),
    readAll: (options) => store.readAll(options),
    subscribeToAll: (options) => store.subscribeToAll(options),
    headPosition: () => store.headPosition(),
    close: () => store.close(),
  };
}

async function openReadModelDatabase(config: AppConfig): Promise<SqlDatabase> {
  if (config.eventStore === 'pglite') {
    // PGlite gets a folder of its own: DATA_DIR also keeps generated keys and issued documents.
    const dataDir = join(resolve(config.dataDir), 'pglite');
    try {
      mkdirSync(dataDir, { recursive: true });
      return await openSqlDatabase({ kind: 'pglite', dataDir });
    } catch (error) {
      if (error instanceof DirectoryInUseError) throw new StorageUnavailableError(error.message);
      throw new StorageUnavailableError(`cannot open the embedded database in ${dataDir}: ${describeError(error)}`);
    }
  }
  try {
    return await openSqlDatabase({ kind: 'postgres', url: config.databaseUrl! });
  } catch (error) {
    throw new StorageUnavailableError(`PostgreSQL at ${redact(config.databaseUrl!)} is unreachable: ${describeError(error)}`);
  }
}

async function connectEventStoreDb(connectionString: string): Promise<EventStore> {
  let store: EventStoreDbEventStore;
  try {
    store = EventStoreDbEventStore.connect(connectionString);
  } catch (error) {
    // The client parses its options (tls=, keepAliveInterval=...) here: name the variable, not only the character.
    throw new StorageUnavailableError(`EVENTSTORE_CONNECTION_STRING is not a valid connection string: ${describeError(error)}`);
  }
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([store.headPosition(), new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('no answer within 5 s')), 5000)))]);
    return store;
  } catch (error) {
    await store.close().catch(() => undefined);
    throw new StorageUnavailableError(`EventStoreDB at ${connectionString} is unreachable: ${describeError(error)}`);
  } finally {
    clearTimeout(timer);
  }
}
