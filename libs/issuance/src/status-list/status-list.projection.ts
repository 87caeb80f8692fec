import { EnrollmentEvent, enrollmentIdOf } from '@jalon/domain';
import { SqlDb } from '@jalon/event-store';
import { ProjectedEvent, Projection, TableNames } from '@jalon/projections';
import { sql } from 'kysely';

export const STATUS_LIST_PROJECTION = 'status-list';
/** The documents revoked, by number: a list's bits are its entries (status_list_entries) found here. */
export const STATUS_LIST_REVOCATIONS = 'status_list_revocations';

type DocumentRevoked = Extract<EnrollmentEvent, { type: 'DocumentRevoked' }>;

/**
 * What the status lists say, as a projection of the log: every document a `DocumentRevoked`
 * records. Applied in the runner's transaction with its checkpoint, so a crash leaves a batch
 * whole or absent, never half; rebuilt from the log like any read model. Where each document's
 * bit is (its list and index) is not this projection's: it is given out once, at issue, and kept
 * for ever in status_list_entries (migration 0007), since the credential carries it.
 */
export function createStatusListProjection(): Projection<DocumentRevoked> {
  return {
    name: STATUS_LIST_PROJECTION,
    canHandle: ['DocumentRevoked'],
    tables: [
      {
        name: STATUS_LIST_REVOCATIONS,
        create: (t) => [sql`CREATE TABLE ${sql.table(t)} (document_number text PRIMARY KEY, revoked_at timestamptz NOT NULL)`],
      },
    ],
    async apply(trx: SqlDb, events: readonly ProjectedEvent<DocumentRevoked>[], tables: TableNames) {
      // Facts of enrollment streams only; the first revocation of a number stands (a document is revoked once).
      const revoked = new Map<string, string>();
      for (const event of events) {
        if (enrollmentIdOf(event.streamId) !== undefined && !revoked.has(event.data.number)) revoked.set(event.data.number, event.data.at);
      }
      if (revoked.size === 0) return;
      await sql`INSERT INTO ${sql.table(tables[STATUS_LIST_REVOCATIONS])} (document_number, revoked_at)
        VALUES ${sql.join([...revoked].map(([number, at]) => sql`(${number}, ${at}::timestamptz)`))}
        ON CONFLICT (document_number) DO NOTHING`.execute(trx);
    },
  };
}
