import { EnrollmentEvent, enrollmentIdOf } from '@jalon/domain';
import { sql } from 'kysely';
import { SqlDb } from '@jalon/event-store';
import { ProjectedEvent, Projection, TableNames } from '@jalon/projections';
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
 * certification for the revocation of what rested on it. A bloc carried by a transfer rests on the
 * attestation of the bloc it came from (through every transfer since): annulled, that one is revoked.
 * The table it keeps lets a reconciler find every decision still without its document (after Redis
 * lost its data, say).
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
 * issued (its bloc validated again meanwhile, say, or annulled on another enrollment it was carried
 * to while its job ran), its revocation is asked as its issue is read.
 */
/** The facts the issuance process acts on: who holds an enrollment, decisions, annulments and revocations, documents recorded. */
type IssuanceEvent = Extract<EnrollmentEvent, { type: (typeof DECISION_EVENTS)[number] | 'CandidateEnrolled' | 'EnrolledByTransfer' }>;

export function createIssuanceProcess(enqueue: EnqueueIssuanceJobs): Projection<IssuanceEvent> {
  return {
    name: ISSUANCE_PROCESS,
    canHandle: ['CandidateEnrolled', 'EnrolledByTransfer', ...DECISION_EVENTS],
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
      {
        // Where each bloc carried by a transfer came from (R13): the attestation proving it is its
        // source's, which an annulment of the carried bloc revokes. Added after the projection
        // shipped: a deployed database gets it empty at start, and its history by a rebuild.
        name: 'issuance_carried_blocs',
        create: (t) => [
          sql`CREATE TABLE ${sql.table(t)} (
            enrollment_id text NOT NULL,
            bloc_code text NOT NULL,
            from_enrollment_id text NOT NULL,
            from_bloc_code text NOT NULL,
            PRIMARY KEY (enrollment_id, bloc_code)
          )`,
        ],
      },
    ],
    async apply(trx: SqlDb, events: readonly ProjectedEvent<IssuanceEvent>[], tables: TableNames) {
      const table = sql.table(tables.issuance_decisions);
      const holders = events.filter(
        (event): event is ProjectedEvent<Extract<IssuanceEvent, { type: 'CandidateEnrolled' | 'EnrolledByTransfer' }>> =>
          enrollmentIdOf(event.streamId) !== undefined && (event.type === 'CandidateEnrolled' || event.type === 'EnrolledByTransfer'),
      );
      // The blocs carried into the enrollments this batch opens by transfer: each proven by its source's bloc.
      const carriedNow = new Map<string, CarriedLink>();
      for (const event of events) {
        if (event.type !== 'EnrolledByTransfer' || !enrollmentIdOf(event.streamId)) continue;
        const { data } = event;
        for (const carried of data.carriedBlocs) {
          const link = {
            enrollmentId: enrollmentIdOf(event.streamId)!,
            blocCode: carried.toBloc,
            fromEnrollmentId: data.fromEnrollmentId,
            fromBlocCode: carried.fromBloc,
          };
          carriedNow.set(blocKey(link), link);
        }
      }
      // Written once the jobs are in Redis, like the rest: the batch's first write gives its transaction an id.
      const recordEnrollments = async () => {
        if (holders.length > 0) {
          await sql`INSERT INTO ${sql.table(tables.issuance_holders)} (enrollment_id, candidate_id)
            VALUES ${sql.join(holders.map((e) => sql`(${enrollmentIdOf(e.streamId)!}, ${e.data.candidateId})`))}
            ON CONFLICT DO NOTHING`.execute(trx);
        }
        if (carriedNow.size > 0) {
          await sql`INSERT INTO ${sql.table(tables.issuance_carried_blocs)} (enrollment_id, bloc_code, from_enrollment_id, from_bloc_code)
            VALUES ${sql.join([...carriedNow.values()].map((l) => sql`(${l.enrollmentId}, ${l.blocCode}, ${l.fromEnrollmentId}, ${l.fromBlocCode})`))}
            ON CONFLICT DO NOTHING`.execute(trx);
        }
      };
      // Facts of enrollment streams only: an event of that type elsewhere is not a decision on a path.
      const relevant = events.filter(
        (event) => enrollmentIdOf(event.streamId) !== undefined && event.type !== 'CandidateEnrolled' && event.type !== 'EnrolledByTransfer',
      );
      if (relevant.length === 0) return recordEnrollments();

      // The rows the batch speaks of, as they stand, keyed by number: by number (its unique index)
      // for decisions and documents, every row of the enrollment for an annulment or a revocation,
      // and of each enrollment an annulled carried bloc came from.
      const numbers = new Set<string>();
      const annulledIn = new Set<string>();
      const annulled: BlocRef[] = [];
      for (const event of relevant) {
        if (event.type === 'BlocValidated') numbers.add(documentNumber('attestation', event.id));
        else if (event.type === 'CertificationAwarded') numbers.add(documentNumber('certificate', event.id));
        else if (event.type === 'DocumentIssued') numbers.add(event.data.document.number);
        else if (event.type === 'DocumentRevoked') numbers.add(event.data.number);
        else {
          annulledIn.add(enrollmentIdOf(event.streamId)!);
          if (event.type === 'BlocAnnulled') annulled.push({ enrollmentId: enrollmentIdOf(event.streamId)!, blocCode: event.data.blocCode });
        }
      }
      const links = new Map(carriedNow);
      // What proves a bloc: its own attestations, and those of the bloc it was carried from, back to where it was validated.
      const provenBy = (bloc: BlocRef): Map<string, BlocRef> => {
        const proof = new Map<string, BlocRef>();
        for (let at: BlocRef | undefined = bloc; at && !proof.has(blocKey(at));) {
          proof.set(blocKey(at), at);
          const link = links.get(blocKey(at));
          at = link && { enrollmentId: link.fromEnrollmentId, blocCode: link.fromBlocCode };
        }
        return proof;
      };
      if (annulled.length > 0) {
        // Followed through this batch's transfers first, then through the earlier ones, in one query.
        const reached = annulled.flatMap((bloc) => [...provenBy(bloc).values()]);
        for (const link of await carriedEarlier(trx, tables, reached)) links.set(blocKey(link), link);
        for (const bloc of annulled) for (const { enrollmentId } of provenBy(bloc).values()) annulledIn.add(enrollmentId);
      }
      const rows = new Map<string, DecisionRow>();
      const found =
        await sql<DecisionRow>`SELECT * FROM ${table} WHERE number = ANY(${[...numbers]}::text[]) OR enrollment_id = ANY(${[...annulledIn]}::text[])`.execute(
          trx,
        );
      for (const row of found.rows) rows.set(row.number, row);
      const inserted = new Set<string>();
      const changed = new Set<string>();
      const jobs: IssuanceJobData[] = [];
      const revoke = (row: DecisionRow, reasonCategory: RevokeJob['reasonCategory']) =>
        jobs.push({ type: 'revoke', job: { enrollmentId: row.enrollment_id, number: row.number, reasonCategory } });
      const withdraw = (row: DecisionRow, reasonCategory: RevokeJob['reasonCategory']) => {
        row.revocation_requested = reasonCategory;
        changed.add(row.number);
        if (row.issued) revoke(row, reasonCategory);
      };

      for (const event of relevant) {
        const enrollmentId = enrollmentIdOf(event.streamId)!;
        switch (event.type) {
          case 'BlocValidated':
          case 'CertificationAwarded': {
            const kind = event.type === 'BlocValidated' ? 'attestation' : 'certificate';
            const number = documentNumber(kind, event.id);
            if (!rows.has(number)) {
              rows.set(number, {
                decision_event_id: event.id,
                enrollment_id: enrollmentId,
                kind,
                bloc_code: event.type === 'BlocValidated' ? event.data.blocCode : null,
                number,
                issued: false,
                revocation_requested: null,
                revoked: false,
              });
              inserted.add(number);
            }
            // Asked again on a replay: the job id makes it one job.
            jobs.push({ type: 'issue', job: { kind, enrollmentId, decisionEventId: event.id } });
            break;
          }
          case 'DocumentIssued': {
            const row = rows.get(event.data.document.number);
            if (!row) break;
            row.issued = true;
            changed.add(row.number);
            if (row.revocation_requested && !row.revoked) revoke(row, row.revocation_requested);
            break;
          }
          case 'BlocAnnulled': {
            // A carried bloc's attestation is its source's (R13): annulled here, it is revoked there.
            const proof = provenBy({ enrollmentId, blocCode: event.data.blocCode });
            for (const row of rows.values())
              if (!row.revoked && row.kind === 'attestation' && proof.has(blocKey({ enrollmentId: row.enrollment_id, blocCode: row.bloc_code! })))
                withdraw(row, 'bloc-annulled');
            break;
          }
          case 'CertificationRevoked': {
            for (const row of rows.values())
              if (!row.revoked && row.kind === 'certificate' && row.enrollment_id === enrollmentId) withdraw(row, 'certification-revoked');
            break;
          }
          case 'DocumentRevoked': {
            const row = rows.get(event.data.number);
            if (!row) break;
            row.revoked = true;
            changed.add(row.number);
            break;
          }
        }
      }

      if (jobs.length > 0) await enqueue(jobs);

      await recordEnrollments();

      const values = (numbers: Iterable<string>) =>
        sql.join(
          [...numbers]
            .map((number) => rows.get(number)!)
            .map(
              (r) =>
                sql`(${r.decision_event_id}, ${r.enrollment_id}, ${r.kind}, ${r.bloc_code}, ${r.number}, ${r.issued}::boolean, ${r.revocation_requested}::text, ${r.revoked}::boolean)`,
            ),
        );
      if (inserted.size > 0) {
        await sql`INSERT INTO ${table} (decision_event_id, enrollment_id, kind, bloc_code, number, issued, revocation_requested, revoked) VALUES ${values(inserted)} ON CONFLICT DO NOTHING`.execute(
          trx,
        );
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

/** A bloc carried by a transfer: `blocCode` of `enrollmentId`, proven by `fromBlocCode` of `fromEnrollmentId`. */
interface CarriedLink extends BlocRef {
  readonly fromEnrollmentId: string;
  readonly fromBlocCode: string;
}

/** A bloc of an enrollment. */
interface BlocRef {
  readonly enrollmentId: string;
  readonly blocCode: string;
}

const blocKey = (bloc: BlocRef) => JSON.stringify([bloc.enrollmentId, bloc.blocCode]);

/** The links recorded by earlier batches behind the given blocs, and behind theirs, back to where each was validated: one query. */
async function carriedEarlier(trx: SqlDb, tables: TableNames, blocs: readonly BlocRef[]): Promise<CarriedLink[]> {
  const carried = sql.table(tables.issuance_carried_blocs);
  const { rows } = await sql<CarriedLink>`
    WITH RECURSIVE chain AS (
      SELECT c.enrollment_id, c.bloc_code, c.from_enrollment_id, c.from_bloc_code
      FROM ${carried} c JOIN unnest(${blocs.map((b) => b.enrollmentId)}::text[], ${blocs.map((b) => b.blocCode)}::text[]) AS s (enrollment_id, bloc_code) USING (enrollment_id, bloc_code)
      UNION
      SELECT c.enrollment_id, c.bloc_code, c.from_enrollment_id, c.from_bloc_code
      FROM ${carried} c JOIN chain ON c.enrollment_id = chain.from_enrollment_id AND c.bloc_code = chain.from_bloc_code
    )
    SELECT enrollment_id AS "enrollmentId", bloc_code AS "blocCode", from_enrollment_id AS "fromEnrollmentId", from_bloc_code AS "fromBlocCode" FROM chain`.execute(
    trx,
  );
  return rows;
}

const DECISION_EVENTS = ['BlocValidated', 'CertificationAwarded', 'DocumentIssued', 'BlocAnnulled', 'CertificationRevoked', 'DocumentRevoked'] as const;

/** Jobs handed to `enqueue` at a time by the reconciler. */
const RECONCILE_CHUNK = 1000;

/** A decision not issued yet and not withdrawn (`d`: its row of issuance_decisions). */
const AWAITING_ISSUE = sql`NOT d.issued AND d.revocation_requested IS NULL`;
/** The decision's holder had their personal data erased: no document can name them any more (R14). */
const HOLDER_ERASED = sql`EXISTS (SELECT 1 FROM issuance_holders h JOIN candidate_keys k ON k.candidate_id = h.candidate_id WHERE h.enrollment_id = d.enrollment_id AND k.erased_at IS NOT NULL)`;

/**
 * Re-enqueues every decision still without its document (and not withdrawn since, its holder not
 * erased) and every revocation of an issued document not yet recorded. Safe at any time: job ids are deterministic
 * and the jobs themselves are idempotent. A revocation asked for a document never issued is left
 * alone: there is nothing to revoke, and its decision, withdrawn, is not issued either. A decision
 * whose holder was erased is left alone too: notIssuedForErasedHolders lists them, for people to see.
 */
export async function reconcileIssuance(db: SqlDb, enqueue: EnqueueIssuanceJobs): Promise<{ issue: number; revoke: number }> {
  const pending = await sql<DecisionRow>`
    SELECT * FROM issuance_decisions d
    WHERE (${AWAITING_ISSUE} AND NOT ${HOLDER_ERASED})
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

/** A decision that will never get its document, and why. */
export interface NotIssuedDecision {
  readonly enrollmentId: string;
  readonly kind: 'attestation' | 'certificate';
  readonly blocCode?: string;
  readonly decisionEventId: string;
  readonly status: 'not-issued';
  readonly reason: 'holder-erased';
}

/**
 * The decisions the reconciler leaves alone because their holder's personal data was erased before
 * their document was issued (the issuing job answers 'holder-erased'): the same condition, so that
 * what is skipped is said; at most `limit`, in a stable order.
 */
export async function notIssuedForErasedHolders(db: SqlDb, limit: number): Promise<NotIssuedDecision[]> {
  const { rows } = await sql<DecisionRow>`SELECT * FROM issuance_decisions d WHERE ${AWAITING_ISSUE} AND ${HOLDER_ERASED}
    ORDER BY d.enrollment_id, d.decision_event_id LIMIT ${limit}`.execute(db);
  return rows.map((row) => ({
    enrollmentId: row.enrollment_id,
    kind: row.kind,
    ...(row.bloc_code ? { blocCode: row.bloc_code } : {}),
    decisionEventId: row.decision_event_id,
    status: 'not-issued',
    reason: 'holder-erased',
  }));
}

/** The decision a document number records, as the issuance process knows it (its enrollment, its kind), if any. */
export async function decisionOfDocument(
  db: SqlDb,
  number: string,
): Promise<{ enrollmentId: string; kind: 'attestation' | 'certificate'; decisionEventId: string } | undefined> {
  const { rows } = await sql<{ enrollment_id: string; kind: 'attestation' | 'certificate'; decision_event_id: string }>`
    SELECT enrollment_id, kind, decision_event_id FROM issuance_decisions WHERE number = ${number}`.execute(db);
  return rows[0] ? { enrollmentId: rows[0].enrollment_id, kind: rows[0].kind, decisionEventId: rows[0].decision_event_id } : undefined;
}
