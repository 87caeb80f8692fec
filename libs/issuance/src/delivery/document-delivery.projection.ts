import { CandidateEvent, candidateStreamId, EnrollmentEvent, enrollmentIdOf } from '@jalon/domain';
import { SqlDb } from '@jalon/event-store';
import { ProjectedEvent, Projection } from '@jalon/projections';
import { sql } from 'kysely';
import { EnqueueJobs } from '../issuance-queue';

export const DOCUMENT_DELIVERY = 'document-delivery';

/** The events a holder is told of by e-mail: a document issued, revoked, or issued again under its number. */
export const DELIVERED_EVENTS = ['DocumentIssued', 'DocumentRevoked', 'DocumentReissued'] as const;
export type DeliveredEvent = Extract<EnrollmentEvent, { type: (typeof DELIVERED_EVENTS)[number] }>;
/** The event that may give a holder their address: an amendment of their identity naming `email` among its fields. */
export type IdentityAmended = Extract<CandidateEvent, { type: 'CandidateIdentityAmended' }>;

/** The document an event speaks of. */
export const deliveredNumber = (event: DeliveredEvent): string =>
  event.type === 'DocumentIssued' ? event.data.document.number : event.type === 'DocumentRevoked' ? event.data.number : event.data.reissue.number;

/** A document's kind, from its number (JAL-A-… an attestation, JAL-C-… a certificate). */
export const kindOfNumber = (number: string): 'attestation' | 'certificate' => (number.startsWith('JAL-C-') ? 'certificate' : 'attestation');

/**
 * A delivery job carries ids only: the worker reads the rest from the log, and opens the address
 * itself (no personal data in Redis). Two kinds: a document event to tell its holder of, and an
 * address completed (the identity amendment that set it), after which the holder is sent what they
 * could not be told for want of one.
 */
export type DeliveryJob = DocumentEventJob | AddressCompletedJob;
export interface DocumentEventJob {
  readonly eventId: string;
  readonly enrollmentId: string;
}
export interface AddressCompletedJob {
  /** The CandidateIdentityAmended event. */
  readonly eventId: string;
  readonly candidateId: string;
}
export const isAddressCompletedJob = (job: DeliveryJob): job is AddressCompletedJob => 'candidateId' in job;

/**
 * What became of a document event's e-mail: sent (on time, or late once the address was completed),
 * or why none will be — `superseded`: its holder had no address then, and a later event of the
 * same document tells them its state instead; `unconfirmed`: handed over to the mail server by a
 * worker that died before reading its answer (DocumentDelivery), so it may have reached its holder,
 * and is not sent again unless an admin asks.
 */
export type DeliveryOutcome = 'sent' | 'no-email' | 'holder-erased' | 'delivery-off' | 'superseded' | 'unconfirmed';

/** One row of `document_deliveries` (migrations 0008, 0012, 0014), written once; a 'no-email' row may later become 'sent', 'unconfirmed' or 'superseded'. */
export interface DeliveryRecord {
  readonly eventId: string;
  readonly enrollmentId: string;
  readonly candidateId?: string;
  readonly number: string;
  readonly eventType: DeliveredEvent['type'];
  readonly outcome: DeliveryOutcome;
  /** The Message-ID the mail server accepted, for a sent one. */
  readonly messageId?: string;
}

const isEmailAmendment = (event: ProjectedEvent<DeliveredEvent | IdentityAmended>): event is ProjectedEvent<IdentityAmended> =>
  event.type === 'CandidateIdentityAmended';

/**
 * The outbox of document e-mails, fed from the global log like the issuance process
 * (createIssuanceProcess): each document event becomes a delivery job under the event's id, enqueued
 * inside the batch's transaction before its checkpoint moves (a crash enqueues it again; the id makes
 * that one job), and a row of `delivery_outbox`, from which the reconciler re-enqueues whatever has
 * no outcome yet (Redis lost its data, a job failed for good). Events already delivered (a rebuild
 * replays them) are not enqueued again. What was sent is not this projection's to say: it is
 * `document_deliveries`, written by the sender, which a rebuild leaves alone.
 *
 * An identity amendment that changes the e-mail address of a holder with documents they were not
 * told of for want of one ('no-email') becomes an address job (`delivery_address_outbox`), whose
 * worker sends them the current state of each such document, once (DocumentDelivery). Their
 * deliveries the mail server refused are asked again at once, now to the new address.
 *
 * With delivery off (no SMTP_URL), each event's outcome is recorded as `delivery-off` at once: a
 * document issued while nothing could be sent is not e-mailed later, when delivery is turned on.
 * An address completed meanwhile is kept in the outbox: its documents go once delivery is back.
 */
export function createDeliveryProcess(enqueue: EnqueueJobs<DeliveryJob> | 'delivery-off'): Projection<DeliveredEvent | IdentityAmended> {
  return {
    name: DOCUMENT_DELIVERY,
    canHandle: [...DELIVERED_EVENTS, 'CandidateIdentityAmended'],
    tables: [
      {
        name: 'delivery_outbox',
        create: (t) => [
          sql`CREATE TABLE ${sql.table(t)} (
            event_id text PRIMARY KEY,
            enrollment_id text NOT NULL,
            number text NOT NULL,
            event_type text NOT NULL
          )`,
        ],
      },
      {
        name: 'delivery_address_outbox',
        create: (t) => [
          sql`CREATE TABLE ${sql.table(t)} (
            event_id text PRIMARY KEY,
            candidate_id text NOT NULL
          )`,
        ],
      },
    ],
    async apply(trx: SqlDb, events, tables) {
      // Facts of enrollment streams only.
      const rows = events
        .filter((event): event is ProjectedEvent<DeliveredEvent> => !isEmailAmendment(event) && enrollmentIdOf(event.streamId) !== undefined)
        .map((event) => ({ eventId: event.id, enrollmentId: enrollmentIdOf(event.streamId)!, number: deliveredNumber(event), eventType: event.type }));
      // The addresses changed, on candidate streams.
      const amended = events
        .filter(isEmailAmendment)
        .filter((event) => event.streamId === candidateStreamId(event.data.candidateId) && event.data.fields.includes('email'))
        .map((event) => ({ eventId: event.id, candidateId: event.data.candidateId }));

      // Read before the first write, so the transaction has no id while Redis answers (see createIssuanceProcess).
      const owed = await candidatesOwed(
        trx,
        amended.map((a) => a.candidateId),
      );
      const addresses = amended.filter((a) => owed.untold.has(a.candidateId));
      if (enqueue !== 'delivery-off') {
        const settled = await deliveryOutcomes(
          trx,
          rows.map((row) => row.eventId),
        );
        const jobs: DeliveryJob[] = [
          ...rows.filter((row) => !settled.has(row.eventId)).map(({ eventId, enrollmentId }) => ({ eventId, enrollmentId })),
          ...addresses,
          ...amended.flatMap((a) => owed.refused.get(a.candidateId) ?? []),
        ];
        if (jobs.length > 0) await enqueue(jobs);
      }
      if (enqueue === 'delivery-off' && rows.length > 0)
        await recordDeliveries(
          trx,
          rows.map((row) => ({ ...row, outcome: 'delivery-off' })),
        );
      if (rows.length > 0)
        await sql`INSERT INTO ${sql.table(tables.delivery_outbox)} (event_id, enrollment_id, number, event_type)
          VALUES ${sql.join(rows.map((r) => sql`(${r.eventId}, ${r.enrollmentId}, ${r.number}, ${r.eventType})`))}
          ON CONFLICT DO NOTHING`.execute(trx);
      if (addresses.length > 0)
        await sql`INSERT INTO ${sql.table(tables.delivery_address_outbox)} (event_id, candidate_id)
          VALUES ${sql.join(addresses.map((a) => sql`(${a.eventId}, ${a.candidateId})`))}
          ON CONFLICT DO NOTHING`.execute(trx);
    },
  };
}

/**
 * Of these candidates, those with documents they were not told of for want of an address (and no
 * job on them yet), and the jobs whose e-mail the mail server refused (to their former address): to
 * run again, now that it changed — the document event's own, or the address job that took it on.
 */
async function candidatesOwed(db: SqlDb, candidateIds: readonly string[]): Promise<{ untold: Set<string>; refused: Map<string, DeliveryJob[]> }> {
  if (candidateIds.length === 0) return { untold: new Set(), refused: new Map() };
  const ids = [...new Set(candidateIds)];
  const untold = await sql<{ candidate_id: string }>`
    SELECT DISTINCT candidate_id FROM document_deliveries
    WHERE candidate_id = ANY(${ids}::text[]) AND outcome = 'no-email' AND address_completed_by IS NULL`.execute(db);
  const refused = await sql<{ candidate_id: string; event_id: string; enrollment_id: string; claim: string | null }>`
    SELECT a.candidate_id, a.event_id, a.enrollment_id, d.address_completed_by AS claim FROM document_delivery_attempts a
    LEFT JOIN document_deliveries d ON d.event_id = a.event_id
    WHERE a.candidate_id = ANY(${ids}::text[]) AND a.refused
      AND (d.event_id IS NULL OR (d.outcome = 'no-email' AND d.address_completed_by IS NOT NULL))`.execute(db);
  const byCandidate = new Map<string, DeliveryJob[]>();
  for (const r of refused.rows) {
    const job: DeliveryJob =
      r.claim && r.claim !== r.event_id ? { eventId: r.claim, candidateId: r.candidate_id } : { eventId: r.event_id, enrollmentId: r.enrollment_id };
    byCandidate.set(r.candidate_id, [...(byCandidate.get(r.candidate_id) ?? []), job]);
  }
  return { untold: new Set(untold.rows.map((r) => r.candidate_id)), refused: byCandidate };
}

/** Records outcomes; the first recorded for an event stands (a second sender, or a replay, changes nothing). */
export async function recordDeliveries(db: SqlDb, records: readonly DeliveryRecord[]): Promise<void> {
  if (records.length === 0) return;
  await recordDeliveriesStatement(records).execute(db);
}

/** The statement recording these outcomes: built before a message is sent, so that recording it after its acceptance is one round trip. */
export function recordDeliveriesStatement(records: readonly DeliveryRecord[]) {
  return sql`INSERT INTO document_deliveries (event_id, enrollment_id, candidate_id, number, event_type, outcome, message_id)
    VALUES ${sql.join(
      records.map((r) => sql`(${r.eventId}, ${r.enrollmentId}, ${r.candidateId ?? null}, ${r.number}, ${r.eventType}, ${r.outcome}, ${r.messageId ?? null})`),
    )}
    ON CONFLICT (event_id) DO NOTHING`;
}

/** The outcomes recorded for these events (those without one are absent). */
export async function deliveryOutcomes(db: SqlDb, eventIds: readonly string[]): Promise<Map<string, DeliveryOutcome>> {
  if (eventIds.length === 0) return new Map();
  const { rows } = await sql<{ event_id: string; outcome: DeliveryOutcome }>`
    SELECT event_id, outcome FROM document_deliveries WHERE event_id = ANY(${[...eventIds]}::text[])`.execute(db);
  return new Map(rows.map((r) => [r.event_id, r.outcome]));
}

/** Jobs handed to `enqueue` at a time by the reconciler. */
const RECONCILE_CHUNK = 1000;

/**
 * Re-enqueues what is owed and may have no job: every document event of the outbox still without
 * an outcome, every address completed whose job has not finished, every document taken on late by
 * its own job. Safe at any time: the job ids are the event ids, and a job finds what was recorded.
 * Returns how many.
 */
export async function reconcileDelivery(db: SqlDb, enqueue: EnqueueJobs<DeliveryJob>): Promise<number> {
  const events = await sql<{ event_id: string; enrollment_id: string }>`
    SELECT o.event_id, o.enrollment_id FROM delivery_outbox o
    WHERE NOT EXISTS (SELECT 1 FROM document_deliveries d WHERE d.event_id = o.event_id)
    UNION ALL
    SELECT event_id, enrollment_id FROM document_deliveries WHERE outcome = 'no-email' AND address_completed_by = event_id`.execute(db);
  const addresses = await sql<{ event_id: string; candidate_id: string }>`
    SELECT a.event_id, a.candidate_id FROM delivery_address_outbox a
    WHERE NOT EXISTS (SELECT 1 FROM document_address_completions c WHERE c.event_id = a.event_id)
    UNION
    SELECT DISTINCT address_completed_by, candidate_id FROM document_deliveries
    WHERE outcome = 'no-email' AND address_completed_by IS NOT NULL AND address_completed_by <> event_id AND candidate_id IS NOT NULL`.execute(db);
  const jobs: DeliveryJob[] = [
    ...events.rows.map((r) => ({ eventId: r.event_id, enrollmentId: r.enrollment_id })),
    ...addresses.rows.map((r) => ({ eventId: r.event_id, candidateId: r.candidate_id })),
  ];
  for (let start = 0; start < jobs.length; start += RECONCILE_CHUNK) await enqueue(jobs.slice(start, start + RECONCILE_CHUNK));
  return jobs.length;
}

/** A document event listed for an admin: which event, of which document, whose. */
export interface ListedDocumentEvent {
  readonly eventId: string;
  readonly eventType: DeliveredEvent['type'];
  readonly enrollmentId: string;
  readonly candidateId: string;
  readonly number: string;
  readonly kind: 'attestation' | 'certificate';
}

/** A document event whose e-mail could not be sent because its holder has no e-mail address: for an admin to complete. */
export interface UndeliveredDocument extends ListedDocumentEvent {
  readonly reason: 'no-email';
  readonly at: string;
}

/** The columns of document_deliveries that say which document event, of whom, in the shape the lists answer. */
interface DocumentEventColumns {
  event_id: string;
  event_type: DeliveredEvent['type'];
  enrollment_id: string;
  candidate_id: string;
  number: string;
}
const documentEventOf = (r: DocumentEventColumns): ListedDocumentEvent => ({
  eventId: r.event_id,
  eventType: r.event_type,
  enrollmentId: r.enrollment_id,
  candidateId: r.candidate_id,
  number: r.number,
  kind: kindOfNumber(r.number),
});

/**
 * The documents whose holder is still not told of them for want of an address, at most `limit`,
 * oldest first: the latest event of each ('no-email', not superseded), not taken on since the
 * address was completed, of holders whose personal data is not erased (they will never have one).
 */
export async function undeliveredForWantOfEmail(db: SqlDb, limit: number): Promise<UndeliveredDocument[]> {
  const { rows } = await sql<DocumentEventColumns & { recorded_at: Date }>`
    SELECT d.event_id, d.event_type, d.enrollment_id, d.candidate_id, d.number, d.recorded_at FROM document_deliveries d
    WHERE d.outcome = 'no-email' AND d.address_completed_by IS NULL
      AND NOT EXISTS (SELECT 1 FROM candidate_keys k WHERE k.candidate_id = d.candidate_id AND k.erased_at IS NOT NULL)
    ORDER BY d.recorded_at, d.event_id LIMIT ${limit}`.execute(db);
  return rows.map((r) => ({ ...documentEventOf(r), reason: 'no-email', at: new Date(r.recorded_at).toISOString() }));
}

/** A document event's e-mail handed over by a worker that died before the mail server's answer: it may, or may not, have reached its holder. */
export interface UnconfirmedDelivery extends ListedDocumentEvent {
  /** When it was handed over to the mail server. */
  readonly handedOverAt: string;
}

/** The e-mails recorded `unconfirmed`, at most `limit`, oldest first, for an admin to check with their holder and, if need be, send again. */
export async function unconfirmedDeliveries(db: SqlDb, limit: number): Promise<UnconfirmedDelivery[]> {
  const { rows } = await sql<DocumentEventColumns & { handed_over_at: Date | null; recorded_at: Date }>`
    SELECT d.event_id, d.event_type, d.enrollment_id, d.candidate_id, d.number, a.handed_over_at, d.recorded_at FROM document_deliveries d
    LEFT JOIN document_delivery_attempts a ON a.message_id = d.message_id
    WHERE d.outcome = 'unconfirmed' ORDER BY d.recorded_at, d.event_id LIMIT ${limit}`.execute(db);
  return rows.map((r) => ({ ...documentEventOf(r), handedOverAt: new Date(r.handed_over_at ?? r.recorded_at).toISOString() }));
}

/**
 * An admin's decision to send an unconfirmed e-mail again: its outcome is taken back (who asked, and
 * when, kept with its attempts), so that its job, run again, sends it as the first time — under the
 * same Message-ID. `undefined` when the event's e-mail is not unconfirmed (sent since, or never
 * handed over); the caller enqueues the returned job.
 */
export async function takeBackUnconfirmed(db: SqlDb, eventId: string, by: string): Promise<DocumentEventJob | undefined> {
  return db.transaction().execute(async (trx) => {
    const { rows } = await sql<{ enrollment_id: string; message_id: string | null }>`
      DELETE FROM document_deliveries WHERE event_id = ${eventId} AND outcome = 'unconfirmed' RETURNING enrollment_id, message_id`.execute(trx);
    if (rows.length === 0) return undefined;
    await sql`UPDATE document_delivery_attempts SET resend_asked_by = ${by}, resend_asked_at = clock_timestamp()
      WHERE message_id = ${rows[0].message_id}`.execute(trx);
    return { eventId, enrollmentId: rows[0].enrollment_id };
  });
}
