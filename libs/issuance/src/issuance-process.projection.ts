import { Kysely, sql } from 'kysely';
import { RecordedEvent } from '@jalon/event-store';
import { Projection, TableNames } from '@jalon/projections';
import { documentNumber } from './document-number';
import { IssuanceJobData } from './issuance-queue';

export const ISSUANCE_PROCESS = 'issuance-process';

interface DecisionRow {
  decision_event_id: string;
  enrollment_id: string;
  kind: 'attestation' | 'certificate';
  bloc_code: string | null;
  number: string;
}

/**
 * The process manager of issuance, fed from the global log like a projection: a bloc validated
 * asks for an attestation, a certification awarded for a certificate, an annulment or a revoked
 * certification for the revocation of what rested on it. Jobs are enqueued inside the batch's
 * transaction, before its checkpoint moves: a crash re-enqueues them, and their deterministic ids
 * make that harmless. The table it keeps lets a reconciler find every decision still without its
 * document (after Redis lost its data, say).
 */
export function createIssuanceProcess(enqueue: (data: IssuanceJobData) => Promise<void>): Projection {
  return {
    name: ISSUANCE_PROCESS,
    tables: [
      {
        name: 'issuance_decisions',
        create: (t) => [
          sql`CREATE TABLE ${sql.table(t)} (
            decision_event_id text PRIMARY KEY,
            enrollment_id text NOT NULL,
            kind text NOT NULL,
            bloc_code text,
            number text NOT NULL UNIQUE,
            issued boolean NOT NULL DEFAULT false,
            revocation_requested text,
            revoked boolean NOT NULL DEFAULT false
          )`,
          sql`CREATE INDEX ${sql.id(`${t}_pending`)} ON ${sql.table(t)} (issued, revoked)`,
        ],
      },
    ],
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async apply(trx: Kysely<any>, events: readonly RecordedEvent[], tables: TableNames) {
      const table = sql.table(tables.issuance_decisions);
      for (const event of events) {
        if (!event.streamId.startsWith('enrollment-')) continue;
        const enrollmentId = event.streamId.slice('enrollment-'.length);
        const data = event.data as Record<string, unknown>;
        switch (event.type) {
          case 'BlocValidated':
          case 'CertificationAwarded': {
            const kind = event.type === 'BlocValidated' ? 'attestation' : 'certificate';
            await sql`INSERT INTO ${table} (decision_event_id, enrollment_id, kind, bloc_code, number) VALUES (${event.id}, ${enrollmentId}, ${kind}, ${(data.blocCode as string) ?? null}, ${documentNumber(kind, event.id)})
              ON CONFLICT DO NOTHING`.execute(trx);
            await enqueue({ type: 'issue', job: { kind, enrollmentId, decisionEventId: event.id } });
            break;
          }
          case 'DocumentIssued': {
            const number = (data.document as { number: string }).number;
            await sql`UPDATE ${table} SET issued = true WHERE number = ${number}`.execute(trx);
            break;
          }
          case 'BlocAnnulled':
          case 'CertificationRevoked': {
            const reasonCategory = event.type === 'BlocAnnulled' ? 'bloc-annulled' : 'certification-revoked';
            const rows = event.type === 'BlocAnnulled'
              ? await sql<DecisionRow>`SELECT * FROM ${table} WHERE enrollment_id = ${enrollmentId} AND kind = 'attestation' AND bloc_code = ${data.blocCode as string} AND NOT revoked`.execute(trx)
              : await sql<DecisionRow>`SELECT * FROM ${table} WHERE enrollment_id = ${enrollmentId} AND kind = 'certificate' AND NOT revoked`.execute(trx);
            for (const row of rows.rows) {
              await sql`UPDATE ${table} SET revocation_requested = ${reasonCategory} WHERE number = ${row.number}`.execute(trx);
              await enqueue({ type: 'revoke', job: { enrollmentId, number: row.number, reasonCategory } });
            }
            break;
          }
          case 'DocumentRevoked':
            await sql`UPDATE ${table} SET revoked = true WHERE number = ${data.number as string}`.execute(trx);
            break;
          default:
            break;
        }
      }
    },
  };
}

/**
 * Re-enqueues every decision still without its document and every revocation not yet recorded.
 * Safe at any time: job ids are deterministic and the jobs themselves are idempotent.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function reconcileIssuance(db: Kysely<any>, enqueue: (data: IssuanceJobData) => Promise<void>): Promise<{ issue: number; revoke: number }> {
  const pending = await sql<DecisionRow & { revocation_requested: string | null; issued: boolean; revoked: boolean }>`
    SELECT * FROM issuance_decisions WHERE NOT issued AND revocation_requested IS NULL OR (revocation_requested IS NOT NULL AND NOT revoked)`.execute(db);
  let issue = 0;
  let revoke = 0;
  for (const row of pending.rows) {
    if (row.revocation_requested) {
      await enqueue({ type: 'revoke', job: { enrollmentId: row.enrollment_id, number: row.number, reasonCategory: row.revocation_requested as 'bloc-annulled' } });
      revoke++;
    } else {
      await enqueue({ type: 'issue', job: { kind: row.kind, enrollmentId: row.enrollment_id, decisionEventId: row.decision_event_id } });
      issue++;
    }
  }
  return { issue, revoke };
}
