import { RawBuilder } from 'kysely';
import { RecordedEvent, SqlDb, TypedEvent } from '@jalon/event-store';

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

/** A stored event typed as the domain event it is: the log's id, stream and position, the domain's type and data. */
export type ProjectedEvent<E extends TypedEvent> = E extends TypedEvent ? Omit<RecordedEvent, 'type' | 'data'> & E : never;

/**
 * A read model fed from the global log. It says which event types it folds (`canHandle`): the
 * runner hands it those only, typed, and moves its checkpoint past the others. `apply` runs inside
 * the runner's transaction, together with the checkpoint update, so a batch is applied exactly once
 * or not at all.
 */
export interface Projection<E extends TypedEvent = TypedEvent> {
  readonly name: string;
  readonly tables: readonly ProjectionTable[];
  readonly canHandle: readonly E['type'][] | 'every-event';
  /**
   * The shape of its tables and of what their rows hold (1 when absent). Raised by a change that
   * rows folded by the previous code would not fit — a column changed, a stored JSON reshaped —
   * so that the first start of the new code replays the log into tables of the new shape
   * (ProjectionRunner.prepare) instead of folding new events onto rows of the old one.
   */
  readonly tableVersion?: number;
  apply(trx: SqlDb, events: readonly ProjectedEvent<E>[], tables: TableNames): Promise<void>;
}

/** The events of a batch the projection folds, in the log's order. */
export function eventsFor<E extends TypedEvent>(projection: Projection<E>, events: readonly RecordedEvent[]): ProjectedEvent<E>[] {
  if (projection.canHandle === 'every-event') return events as ProjectedEvent<E>[];
  const handled = new Set<string>(projection.canHandle);
  return events.filter((event) => handled.has(event.type)) as ProjectedEvent<E>[];
}
