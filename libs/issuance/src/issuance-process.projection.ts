import { Kysely, sql } from 'kysely';
import { RecordedEvent } from '@jalon/event-store';
import { Projection, TableNames } from '@jalon/projections';
import { documentNumber } from './document-number';
import { EnqueueIssuanceJobs, IssuanceJobData } from './issuance-queue';
import { RevokeJob } from './issuance.service';

export const ISSUANCE_PROCESS = 'issuance-process';

interface DecisionRow {
  decision_event_id: string;
  enrollment_id: string;
  kind: 'attestation' | 'certificate';
  bloc_code: string | null;
  number: string;
  issued: boolean;
  revocation_requested: RevokeJob['reasonCategory'] | null;
  revoked: boolean;
}

/**
 * The process manager of issuance, fed from the global log like a projection: a bloc validated
 * asks for an attestation, a certification awarded for a certificate, an annulment or a revoked
 * certification for the revocation of what rested on it. The table it keeps lets a reconciler find
 * every decision still without its document (after Redis lost its data, say).
 *
 * A batch's jobs go to Redis together, in one bulk, inside the batch's transaction, before its
 * checkpoint moves: a crash re-enqueues them, and their deterministic ids make that harmless. The
 * batch is folded in memory over the rows it touches, its jobs enqueued, and only then are the rows
 * written: until its first write the transaction has no id, so however long Redis takes to answer
 * (or to come back), it holds back no reader of the global log (DESIGN.md decision 3).
 *
 * A revocation is asked for a document issued, never for one that is not: the log is read in order,
 * so a document issued before its annulment is known to be issued when the annulment comes; one
 * that was not is never issued afterwards (the decision is withdrawn), and its revocation would
 * answer 'never-issued' for ever. Should a document of a decision already annulled still be
 * issued (its bloc validated again meanwhile, say), its revocation is asked as its issue is read.
 */
export function createIssuanceProcess(enqueue: EnqueueIssuanceJobs): Projection {
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
        // An annulment or a withdrawal looks up the decisions of its enrollment.
        indexes: (t) => [sql`CREATE INDEX IF NOT EXISTS ${sql.id(`${t}_enrollment`)} ON ${sql.table(t)} (enrollment_id)`],
      },
      {
        // Whose documents an enrollment's are: the reconciler leaves alone the decisions of a holder
        // whose personal data was erased (no document can name them any more).
        name: 'issuance_holders',
        create: (t) => [sql`CREATE TABLE ${sql.table(t)} (enrollment_id text PRIMARY KEY, candidate_id text NOT NULL)`],
      },
    ],
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async apply(trx: Kysely<any>, events: readonly RecordedEvent[], tables: TableNames) {
      const table = sql.table(tables.issuance_decisions);
      const holders = events.filter((event) => event.type === 'CandidateEnrolled' || event.type === 'EnrolledByTransfer');
      if (holders.length > 0) {
        await sql`INSERT INTO ${sql.table(tables.issuance_holders)} (enrollment_id, candidate_id)
          VALUES ${sql.join(holders.map((e) => sql`(${e.streamId.slice(ENROLLMENT.length)}, ${(e.data as { candidateId: string }).candidateId})`))}
          ON CONFLICT DO NOTHING`.execute(trx);
      }
      const relevant = events.filter((event) => event.streamId.startsWith(ENROLLMENT) && HANDLED.has(event.type));
      if (relevant.length === 0) return;

      // The rows the batch speaks of, as they stand, keyed by number: by number (its unique index)
      // for decisions and documents, every row of the enrollment for an annulment or a revocation.
      const numbers = new Set<string>();
      const annulledIn = new Set<string>();
      for (const event of relevant) {
        const data = event.data as Record<string, unknown>;
        if (event.type === 'BlocValidated') numbers.add(documentNumber('attestation', event.id));
        else if (event.type === 'CertificationAwarded') numbers.add(documentNumber('certificate', event.id));
        else if (event.type === 'DocumentIssued') numbers.add((data.document as { number: string }).number);
        else if (event.type === 'DocumentRevoked') numbers.add(data.number as string);
        else annulledIn.add(event.streamId.slice(ENROLLMENT.length));
      }
      const rows = new Map<string, DecisionRow>();
      const found = [
        ...(await sql<DecisionRow>`SELECT * FROM ${table} WHERE number = ANY(${[...numbers]}::text[])`.execute(trx)).rows,
        ...(annulledIn.size > 0 ? (await sql<DecisionRow>`SELECT * FROM ${table} WHERE enrollment_id = ANY(${[...annulledIn]}::text[])`.execute(trx)).rows : []),
      ];
      for (const row of found) rows.set(row.number, row);
      const inserted = new Set<string>();
      const changed = new Set<string>();
      const jobs: IssuanceJobData[] = [];
      const revoke = (row: DecisionRow, reasonCategory: RevokeJob['reasonCategory']) => jobs.push({ type: 'revoke', job: { enrollmentId: row.enrollment_id, number: row.number, reasonCategory } });

      for (const event of relevant) {
        const enrollmentId = event.streamId.slice(ENROLLMENT.length);
        const data = event.data as Record<string, unknown>;
        switch (event.type) {
          case 'BlocValidated':
          case 'CertificationAwarded': {
            const kind = event.type === 'BlocValidated' ? 'attestation' : 'certificate';
            const number = documentNumber(kind, event.id);
            if (!rows.has(number)) {
              rows.set(number, { decision_event_id: event.id, enrollment_id: enrollmentId, kind, bloc_code: (data.blocCode as string) ?? null, number, issued: false, revocation_requested: null, revoked: false });
              inserted.add(number);
            }
            // Asked again on a replay: the job id makes it one job.
            jobs.push({ type: 'issue', job: { kind, enrollmentId, decisionEventId: event.id } });
            break;
          }
          case 'DocumentIssued': {
            const row = rows.get((data.document as { number: string }).number);
            if (!row) break;
            row.issued = true;
            changed.add(row.number);
            if (row.revocation_requested && !row.revoked) revoke(row, row.revocation_requested);
            break;
          }
          case 'BlocAnnulled':
          case 'CertificationRevoked': {
            const reasonCategory = event.type === 'BlocAnnulled' ? 'bloc-annulled' : 'certification-revoked';
            for (const row of rows.values()) {
              if (row.enrollment_id !== enrollmentId || row.revoked) continue;
              if (event.type === 'BlocAnnulled' ? row.kind !== 'attestation' || row.bloc_code !== data.blocCode : row.kind !== 'certificate') continue;
              row.revocation_requested = reasonCategory;
              changed.add(row.number);
              if (row.issued) revoke(row, reasonCategory);
            }
            break;
          }
          case 'DocumentRevoked': {
            const row = rows.get(data.number as string);
            if (!row) break;
            row.revoked = true;
            changed.add(row.number);
            break;
          }
        }
      }

      if (jobs.length > 0) await enqueue(jobs);

      const values = (numbers: Iterable<string>) =>
        sql.join([...numbers].map((number) => rows.get(number)!).map((r) => sql`(${r.decision_event_id}, ${r.enrollment_id}, ${r.kind}, ${r.bloc_code}, ${r.number}, ${r.issued}::boolean, ${r.revocation_requested}::text, ${r.revoked}::boolean)`));
      if (inserted.size > 0) {
        await sql`INSERT INTO ${table} (decision_event_id, enrollment_id, kind, bloc_code, number, issued, revocation_requested, revoked) VALUES ${values(inserted)} ON CONFLICT DO NOTHING`.execute(trx);
      }
      const updated = [...changed].filter((number) => !inserted.has(number));
      if (updated.length > 0) {
        await sql`UPDATE ${table} AS t SET issued = v.issued, revocation_requested = v.revocation_requested, revoked = v.revoked
          FROM (VALUES ${values(updated)}) AS v (decision_event_id, enrollment_id, kind, bloc_code, number, issued, revocation_requested, revoked)
          WHERE t.number = v.number`.execute(trx);
      }
    },
  };
}

const ENROLLMENT = 'enrollment-';
const HANDLED = new Set(['BlocValidated', 'CertificationAwarded', 'DocumentIssued', 'BlocAnnulled', 'CertificationRevoked', 'DocumentRevoked']);

/** Jobs handed to `enqueue` at a time by the reconciler. */
const RECONCILE_CHUNK = 1000;

/**
 * Re-enqueues every decision still without its document (and not withdrawn since, its holder not
 * erased) and every revocation of an issued document not yet recorded. Safe at any time: job ids are deterministic
 * and the jobs themselves are idempotent. A revocation asked for a document never issued is left
 * alone: there is nothing to revoke, and its decision, withdrawn, is not issued either.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function reconcileIssuance(db: Kysely<any>, enqueue: EnqueueIssuanceJobs): Promise<{ issue: number; revoke: number }> {
  const pending = await sql<DecisionRow>`
    SELECT * FROM issuance_decisions d
    WHERE (NOT issued AND revocation_requested IS NULL
        AND NOT EXISTS (SELECT 1 FROM issuance_holders h JOIN candidate_keys k ON k.candidate_id = h.candidate_id WHERE h.enrollment_id = d.enrollment_id AND k.erased_at IS NOT NULL))
      OR (issued AND revocation_requested IS NOT NULL AND NOT revoked)`.execute(db);
  const jobs: IssuanceJobData[] = pending.rows.map((row) =>
    row.revocation_requested
      ? { type: 'revoke', job: { enrollmentId: row.enrollment_id, number: row.number, reasonCategory: row.revocation_requested } }
      : { type: 'issue', job: { kind: row.kind, enrollmentId: row.enrollment_id, decisionEventId: row.decision_event_id } },
  );
  for (let start = 0; start < jobs.length; start += RECONCILE_CHUNK) await enqueue(jobs.slice(start, start + RECONCILE_CHUNK));
  const revoke = jobs.filter((job) => job.type === 'revoke').length;
  return { issue: jobs.length - revoke, revoke };
}
