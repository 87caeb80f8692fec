import { EnrollmentEvent, enrollmentIdOf } from '@jalon/domain';
import { SqlDb } from '@jalon/event-store';
import { ProjectedEvent, Projection } from '@jalon/projections';
import { sql } from 'kysely';
import { EnqueueJobs } from '../issuance-queue';

export const DOCUMENT_DELIVERY = 'document-delivery';

/** The events a holder is told of by e-mail: a document issued, revoked, or issued again under its number. */
export const DELIVERED_EVENTS = ['DocumentIssued', 'DocumentRevoked', 'DocumentReissued'] as const;
export type DeliveredEvent = Extract<EnrollmentEvent, { type: (typeof DELIVERED_EVENTS)[number] }>;

/** The document an event speaks of. */
export const deliveredNumber = (event: DeliveredEvent): string =>
  event.type === 'DocumentIssued' ? event.data.document.number : event.type === 'DocumentRevoked' ? event.data.number : event.data.reissue.number;

/** A delivery job carries ids only: the worker reads the rest from the log, and opens the address itself (no personal data in Redis). */
export interface DeliveryJob {
  readonly eventId: string;
  readonly enrollmentId: string;
}

/** What became of a document event's e-mail: sent, or why none will be. */
export type DeliveryOutcome = 'sent' | 'no-email' | 'holder-erased' | 'delivery-off';

/** One row of `document_deliveries` (migration 0008), written once and never changed. */
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

/**
 * The outbox of document e-mails, fed from the global log like the issuance process
 * (createIssuanceProcess): each document event becomes a delivery job under the event's id, enqueued
 * inside the batch's transaction before its checkpoint moves (a crash enqueues it again; the id makes
 * that one job), and a row of `delivery_outbox`, from which the reconciler re-enqueues whatever has
 * no outcome yet (Redis lost its data, a job failed for good). Events already delivered (a rebuild
 * replays them) are not enqueued again. What was sent is not this projection's to say: it is
 * `document_deliveries`, written by the sender, which a rebuild leaves alone.
 *
 * With delivery off (no SMTP_URL), each event's outcome is recorded as `delivery-off` at once: a
 * document issued while nothing could be sent is not e-mailed later, when delivery is turned on.
 */
export function createDeliveryProcess(enqueue: EnqueueJobs<DeliveryJob> | 'delivery-off'): Projection<DeliveredEvent> {
  return {
    name: DOCUMENT_DELIVERY,
    canHandle: [...DELIVERED_EVENTS],
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
    ],
    async apply(trx: SqlDb, events: readonly ProjectedEvent<DeliveredEvent>[], tables) {
      // Facts of enrollment streams only.
      const rows = events
        .filter((event) => enrollmentIdOf(event.streamId) !== undefined)
        .map((event) => ({ eventId: event.id, enrollmentId: enrollmentIdOf(event.streamId)!, number: deliveredNumber(event), eventType: event.type }));
      if (rows.length === 0) return;
      if (enqueue === 'delivery-off') {
        await recordDeliveries(
          trx,
          rows.map((row) => ({ ...row, outcome: 'delivery-off' })),
        );
      } else {
        // Read before the first write, so the transaction has no id while Redis answers (see createIssuanceProcess).
        const settled = await deliveryOutcomes(
          trx,
          rows.map((row) => row.eventId),
        );
        const jobs = rows.filter((row) => !settled.has(row.eventId)).map(({ eventId, enrollmentId }) => ({ eventId, enrollmentId }));
        if (jobs.length > 0) await enqueue(jobs);
      }
      await sql`INSERT INTO ${sql.table(tables.delivery_outbox)} (event_id, enrollment_id, number, event_type)
        VALUES ${sql.join(rows.map((r) => sql`(${r.eventId}, ${r.enrollmentId}, ${r.number}, ${r.eventType})`))}
        ON CONFLICT DO NOTHING`.execute(trx);
    },
  };
}

/** Records outcomes; the first recorded for an event stands (a second sender, or a replay, changes nothing). */
export async function recordDeliveries(db: SqlDb, records: readonly DeliveryRecord[]): Promise<void> {
  if (records.length === 0) return;
  await sql`INSERT INTO document_deliveries (event_id, enrollment_id, candidate_id, number, event_type, outcome, message_id)
    VALUES ${sql.join(
      records.map((r) => sql`(${r.eventId}, ${r.enrollmentId}, ${r.candidateId ?? null}, ${r.number}, ${r.eventType}, ${r.outcome}, ${r.messageId ?? null})`),
    )}
    ON CONFLICT (event_id) DO NOTHING`.execute(db);
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
 * Re-enqueues every document event of the outbox still without an outcome: safe at any time, the
 * job ids are the event ids and a job finds an outcome already recorded. Returns how many.
 */
export async function reconcileDelivery(db: SqlDb, enqueue: EnqueueJobs<DeliveryJob>): Promise<number> {
  const { rows } = await sql<{ event_id: string; enrollment_id: string }>`
    SELECT o.event_id, o.enrollment_id FROM delivery_outbox o
    WHERE NOT EXISTS (SELECT 1 FROM document_deliveries d WHERE d.event_id = o.event_id)`.execute(db);
  const jobs = rows.map((r) => ({ eventId: r.event_id, enrollmentId: r.enrollment_id }));
  for (let start = 0; start < jobs.length; start += RECONCILE_CHUNK) await enqueue(jobs.slice(start, start + RECONCILE_CHUNK));
  return jobs.length;
}

/** A document event whose e-mail could not be sent because its holder has no e-mail address: for an admin to complete. */
export interface UndeliveredDocument {
  readonly eventId: string;
  readonly eventType: DeliveredEvent['type'];
  readonly enrollmentId: string;
  readonly candidateId: string;
  readonly number: string;
  readonly reason: 'no-email';
  readonly at: string;
}

/** The document events not delivered for want of an address, at most `limit`, oldest first. */
export async function undeliveredForWantOfEmail(db: SqlDb, limit: number): Promise<UndeliveredDocument[]> {
  const { rows } = await sql<{
    event_id: string;
    event_type: DeliveredEvent['type'];
    enrollment_id: string;
    candidate_id: string;
    number: string;
    recorded_at: Date;
  }>`
    SELECT event_id, event_type, enrollment_id, candidate_id, number, recorded_at FROM document_deliveries
    WHERE outcome = 'no-email' ORDER BY recorded_at, event_id LIMIT ${limit}`.execute(db);
  return rows.map((r) => ({
    eventId: r.event_id,
    eventType: r.event_type,
    enrollmentId: r.enrollment_id,
    candidateId: r.candidate_id,
    number: r.number,
    reason: 'no-email',
    at: new Date(r.recorded_at).toISOString(),
  }));
}
