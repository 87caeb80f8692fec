import { Kysely, Migration, MigrationProvider, Migrator, sql } from 'kysely';

/**
 * Versioned schema changes, run at start-up through Kysely's migrator (which records what ran and
 * takes a lock so two processes never migrate at once). Append new migrations; never edit one that
 * has shipped.
 */
const migrations: Record<string, Migration> = {
  '0001_event_log': {
    async up(db: Kysely<unknown>) {
      await sql`
        CREATE TABLE streams (
          stream_id text PRIMARY KEY,
          revision bigint NOT NULL
        )`.execute(db);
      // transaction_id orders the global log by visibility: see GlobalPosition and DESIGN.md decision 3.
      await sql`
        CREATE TABLE events (
          global_position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
          transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
          event_id uuid NOT NULL,
          stream_id text NOT NULL,
          stream_revision bigint NOT NULL,
          event_type text NOT NULL,
          schema_version integer NOT NULL,
          data jsonb NOT NULL,
          metadata jsonb NOT NULL,
          recorded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
          CONSTRAINT events_event_id_unique UNIQUE (event_id),
          CONSTRAINT events_stream_revision_unique UNIQUE (stream_id, stream_revision)
        )`.execute(db);
      await sql`CREATE INDEX events_log_order ON events (transaction_id, global_position)`.execute(db);
    },
  },
  '0002_projection_checkpoints': {
    async up(db: Kysely<unknown>) {
      await sql`
        CREATE TABLE projection_checkpoints (
          projection text PRIMARY KEY,
          commit_position bigint NOT NULL,
          prepare_position bigint NOT NULL,
          events_applied bigint NOT NULL DEFAULT 0,
          updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
          status text NOT NULL DEFAULT 'running',
          error text,
          failed_event_id uuid
        )`.execute(db);
    },
  },
  '0003_idempotency_keys': {
    async up(db: Kysely<unknown>) {
      // The first answer to a request sent with an Idempotency-Key, replayed to its retries.
      await sql`
        CREATE TABLE idempotency_keys (
          organisation_id text NOT NULL,
          actor_id text NOT NULL,
          key text NOT NULL,
          request_hash text NOT NULL,
          state text NOT NULL,
          status_code integer,
          response jsonb,
          created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
          PRIMARY KEY (organisation_id, actor_id, key)
        )`.execute(db);
    },
  },
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the migrator runs before any table exists
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
