import { SqlDb } from './database';
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
  '0004_personal_data': {
    async up(db: Kysely<unknown>) {
      // Each candidate's data key, wrapped by a master key; a destroyed key leaves its tombstone (R14).
      await sql`
        CREATE TABLE candidate_keys (
          candidate_id text PRIMARY KEY,
          master_key_id text,
          wrapped_key text,
          created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
          erased_at timestamptz,
          CONSTRAINT candidate_keys_live_or_erased CHECK ((wrapped_key IS NULL) = (erased_at IS NOT NULL) AND (wrapped_key IS NULL) = (master_key_id IS NULL))
        )`.execute(db);
      // Who read whose personal data, when and through which view; never the values. Append-only.
      await sql`
        CREATE TABLE personal_data_reads (
          id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
          read_at timestamptz NOT NULL DEFAULT clock_timestamp(),
          actor_id text NOT NULL,
          actor_role text NOT NULL,
          organisation_id text NOT NULL,
          candidate_id text NOT NULL,
          enrollment_id text,
          view text NOT NULL,
          subjects jsonb NOT NULL
        )`.execute(db);
      await sql`CREATE INDEX personal_data_reads_candidate ON personal_data_reads (candidate_id, id)`.execute(db);
      await sql`
        CREATE FUNCTION personal_data_reads_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          RAISE EXCEPTION 'personal_data_reads is append-only';
        END $$`.execute(db);
      await sql`CREATE TRIGGER personal_data_reads_no_change BEFORE UPDATE OR DELETE ON personal_data_reads FOR EACH ROW EXECUTE FUNCTION personal_data_reads_append_only()`.execute(
        db,
      );
      await sql`CREATE TRIGGER personal_data_reads_no_truncate BEFORE TRUNCATE ON personal_data_reads FOR EACH STATEMENT EXECUTE FUNCTION personal_data_reads_append_only()`.execute(
        db,
      );
    },
  },
  '0005_idempotency_claim_owner': {
    async up(db: Kysely<unknown>) {
      // The lock id of the process serving a pending claim: a retry takes over a dead one's claim at once.
      await sql`ALTER TABLE idempotency_keys ADD COLUMN owner_lock integer`.execute(db);
    },
  },
  '0006_issuer_keys': {
    async up(db: Kysely<unknown>) {
      // Each issuer's signing keys (libs/issuance IssuerKeyRing): the public JWK published for ever,
      // the private key sealed by a master key while the key is live, dropped when it is retired.
      // legacy_kid: the bare-hash kid the Ed25519 key of the first documents signed them with (published only).
      await sql`
        CREATE TABLE issuer_keys (
          issuer_slug text NOT NULL,
          thumbprint text NOT NULL,
          alg text NOT NULL,
          public_jwk jsonb NOT NULL,
          legacy_kid text,
          master_key_id text,
          sealed_private_key text,
          created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
          retired_at timestamptz,
          PRIMARY KEY (issuer_slug, thumbprint),
          CONSTRAINT issuer_keys_alg CHECK (alg IN ('RS256', 'EdDSA')),
          CONSTRAINT issuer_keys_sealed_with_its_master CHECK ((sealed_private_key IS NULL) = (master_key_id IS NULL)),
          CONSTRAINT issuer_keys_live_can_sign CHECK (retired_at IS NOT NULL OR (sealed_private_key IS NOT NULL AND alg = 'RS256'))
        )`.execute(db);
      // One live key per issuer: the one new credentials are signed with.
      await sql`CREATE UNIQUE INDEX issuer_keys_one_live ON issuer_keys (issuer_slug) WHERE retired_at IS NULL`.execute(db);
    },
  },
  '0007_status_list': {
    async up(db: Kysely<unknown>) {
      // W3C Bitstring Status List: where each document's revocation bit is, given once at issue and
      // kept for ever (its credential carries it); the bits are the status-list projection's.
      // Per issuer, the next ordinal to give out: the n-th document goes to list n / 131072.
      await sql`
        CREATE TABLE status_list_counters (
          issuer text PRIMARY KEY,
          next_ordinal bigint NOT NULL
        )`.execute(db);
      // Each list opened, with the secret salt that places its entries (never published).
      await sql`
        CREATE TABLE status_lists (
          issuer text NOT NULL,
          list_number integer NOT NULL,
          salt text NOT NULL,
          created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
          PRIMARY KEY (issuer, list_number)
        )`.execute(db);
      await sql`
        CREATE TABLE status_list_entries (
          document_number text PRIMARY KEY,
          issuer text NOT NULL,
          list_number integer NOT NULL,
          list_index integer NOT NULL,
          allocated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
          CONSTRAINT status_list_entries_one_per_bit UNIQUE (issuer, list_number, list_index),
          CONSTRAINT status_list_entries_list FOREIGN KEY (issuer, list_number) REFERENCES status_lists (issuer, list_number)
        )`.execute(db);
    },
  },
  '0008_document_deliveries': {
    async up(db: Kysely<unknown>) {
      // What became of each document event's e-mail to its holder (libs/issuance delivery): written
      // once the mail server accepted the message (or once it is known none will be sent), checked
      // before sending. Not a projection's table: a rebuild replays the log, these say what was sent.
      await sql`
        CREATE TABLE document_deliveries (
          event_id text PRIMARY KEY,
          enrollment_id text NOT NULL,
          candidate_id text,
          number text NOT NULL,
          event_type text NOT NULL,
          outcome text NOT NULL,
          message_id text,
          recorded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
          CONSTRAINT document_deliveries_outcome CHECK (outcome IN ('sent', 'no-email', 'holder-erased', 'delivery-off')),
          CONSTRAINT document_deliveries_sent_has_id CHECK ((outcome = 'sent') = (message_id IS NOT NULL))
        )`.execute(db);
      await sql`CREATE INDEX document_deliveries_outcome_idx ON document_deliveries (outcome) WHERE outcome = 'no-email'`.execute(db);
    },
  },
  '0009_cohort_imports': {
    async up(db: Kysely<unknown>) {
      // A cohort file imported as a job (apps/api imports): its progress, then its report, for any
      // api process to answer. Ids, candidate numbers, statuses and reasons only: no names, no
      // birth dates (the file's personal data is sealed in the events, never stored in clear).
      await sql`
        CREATE TABLE cohort_imports (
          id uuid PRIMARY KEY,
          organisation_id text NOT NULL,
          requested_by text NOT NULL,
          dry_run boolean NOT NULL,
          status text NOT NULL,
          total integer NOT NULL,
          processed integer NOT NULL DEFAULT 0,
          counts jsonb NOT NULL DEFAULT '{}'::jsonb,
          report jsonb,
          error text,
          created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
          updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
          finished_at timestamptz,
          CONSTRAINT cohort_imports_status CHECK (status IN ('running', 'done', 'failed'))
        )`.execute(db);
    },
  },
  '0010_status_list_entry_per_issuer': {
    async up(db: Kysely<unknown>) {
      // A document has one entry per issuer it was issued as: reissued by another issuer (its
      // certifier, configured since), it gets a bit in that issuer's list and keeps its first, so
      // both versions' credentials show its revocation. Each entry stays given once, kept for ever.
      await sql`ALTER TABLE status_list_entries DROP CONSTRAINT status_list_entries_pkey, ADD PRIMARY KEY (document_number, issuer)`.execute(db);
    },
  },
  '0011_issuer_keys_es256': {
    async up(db: Kysely<unknown>) {
      // Each issuer also has a P-256 key (ES256), live beside its RSA key: it signs the credentials
      // offered as ES256 at request time (never stored), and rotates with it. One live key per
      // issuer and algorithm; a live key still holds its sealed private key.
      await sql`
        ALTER TABLE issuer_keys
          DROP CONSTRAINT issuer_keys_alg,
          DROP CONSTRAINT issuer_keys_live_can_sign,
          ADD CONSTRAINT issuer_keys_alg CHECK (alg IN ('RS256', 'ES256', 'EdDSA')),
          ADD CONSTRAINT issuer_keys_live_can_sign CHECK (retired_at IS NOT NULL OR (sealed_private_key IS NOT NULL AND alg IN ('RS256', 'ES256')))`.execute(
        db,
      );
      await sql`DROP INDEX issuer_keys_one_live`.execute(db);
      await sql`CREATE UNIQUE INDEX issuer_keys_one_live ON issuer_keys (issuer_slug, alg) WHERE retired_at IS NULL`.execute(db);
    },
  },
  '0012_document_delivery_late_sends': {
    async up(db: Kysely<unknown>) {
      // A holder whose address is completed after a document event found none is e-mailed then
      // (libs/issuance delivery). `address_completed_by` claims a 'no-email' row for the one job
      // that may send it late (the identity amendment's, or the document event's own), and stays as
      // its history: sent, the row becomes 'sent' with `sent_late_at`; 'superseded', not sent, a
      // later event of the same document tells its holder its state instead.
      await sql`
        ALTER TABLE document_deliveries
          ADD COLUMN address_completed_by text,
          ADD COLUMN sent_late_at timestamptz,
          DROP CONSTRAINT document_deliveries_outcome,
          ADD CONSTRAINT document_deliveries_outcome CHECK (outcome IN ('sent', 'no-email', 'holder-erased', 'delivery-off', 'superseded'))`.execute(db);
      await sql`CREATE INDEX document_deliveries_no_email_by_candidate ON document_deliveries (candidate_id) WHERE outcome = 'no-email'`.execute(db);
      await sql`CREATE INDEX document_deliveries_number ON document_deliveries (number)`.execute(db);
      // What became of each completed address (the identity amendment that set it): written once its job is done.
      await sql`
        CREATE TABLE document_address_completions (
          event_id text PRIMARY KEY,
          candidate_id text NOT NULL,
          outcome text NOT NULL,
          sent integer NOT NULL,
          recorded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
          CONSTRAINT document_address_completions_outcome CHECK (outcome IN ('done', 'no-email', 'holder-erased'))
        )`.execute(db);
      // Each message handed to the mail server, recorded before it is: an attempt still open when the
      // next one starts was interrupted (its worker died mid-send), and the message may have reached
      // its holder twice, under the same Message-ID. A message the server refused (5xx) is not tried
      // again until its holder's identity changes (`refused_at_revision`, of their stream).
      await sql`
        CREATE TABLE document_delivery_attempts (
          message_id text PRIMARY KEY,
          event_id text NOT NULL,
          enrollment_id text NOT NULL,
          candidate_id text NOT NULL,
          attempts integer NOT NULL,
          interrupted integer NOT NULL DEFAULT 0,
          open boolean NOT NULL,
          refused boolean NOT NULL DEFAULT false,
          refused_at_revision integer,
          last_error text,
          last_attempt_at timestamptz NOT NULL DEFAULT clock_timestamp()
        )`.execute(db);
      await sql`CREATE INDEX document_delivery_attempts_refused ON document_delivery_attempts (candidate_id) WHERE refused`.execute(db);
    },
  },
  '0013_projection_table_versions': {
    async up(db: Kysely<unknown>) {
      // The shape of each projection's tables (`Projection.tableVersion`): a start finding an older
      // one replays the log into tables of the new shape before the projection runs on them.
      await sql`ALTER TABLE projection_checkpoints ADD COLUMN table_version integer NOT NULL DEFAULT 1`.execute(db);
    },
  },
  '0014_document_delivery_hand_over': {
    async up(db: Kysely<unknown>) {
      // A message is handed over when the line ending its data is about to go (libs/issuance
      // delivery, mailer): recorded first, in `handed_over_at`. An attempt found open and handed
      // over was cut short by its worker's death after that point: the server may have the message,
      // so it is not sent again but recorded 'unconfirmed', for an admin to check and, if need be,
      // to send again (`resend_asked_by`, who asked, and when).
      await sql`
        ALTER TABLE document_delivery_attempts
          ADD COLUMN handed_over_at timestamptz,
          ADD COLUMN resend_asked_by text,
          ADD COLUMN resend_asked_at timestamptz`.execute(db);
      await sql`
        ALTER TABLE document_deliveries
          DROP CONSTRAINT document_deliveries_outcome,
          ADD CONSTRAINT document_deliveries_outcome CHECK (outcome IN ('sent', 'no-email', 'holder-erased', 'delivery-off', 'superseded', 'unconfirmed')),
          DROP CONSTRAINT document_deliveries_sent_has_id,
          ADD CONSTRAINT document_deliveries_sent_has_id CHECK ((outcome IN ('sent', 'unconfirmed')) = (message_id IS NOT NULL))`.execute(db);
    },
  },
};

const provider: MigrationProvider = { getMigrations: async () => migrations };
export async function migrateToLatest(db: SqlDb): Promise<string[]> {
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
