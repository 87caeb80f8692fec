import { RawBuilder } from 'kysely';
import { RecordedEvent, SqlDb } from '@jalon/event-store';

/** Base table name → the name it has right now (a rebuild writes into fresh tables, then swaps). */
export type TableNames = Readonly<Record<string, string>>;

export interface ProjectionTable {
  readonly name: string;
  /** DDL creating the table (and its indexes) under the given actual name. */
  create(table: string): readonly RawBuilder<unknown>[];
  /**
   * Indexes added after the table first shipped, as `CREATE INDEX IF NOT EXISTS <table>_<suffix>`:
   * the runner creates them with the table and, at each start, on a table that already exists,
   * so a deployed read model gets them without a rebuild.
   */
  indexes?(table: string): readonly RawBuilder<unknown>[];
}

/**
 * A read model fed from the global log. `apply` runs inside the runner's transaction, together
 * with the checkpoint update, so a batch is applied exactly once or not at all.
 */
export interface Projection {
  readonly name: string;
  readonly tables: readonly ProjectionTable[];
  apply(trx: SqlDb, events: readonly RecordedEvent[], tables: TableNames): Promise<void>;
}
