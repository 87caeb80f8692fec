import { UnrecoverableError } from 'bullmq';
import { sql, RawBuilder } from 'kysely';
import { AppConfig, EMAIL_ADDRESS, Mailbox, parseMailbox } from '@jalon/config';
import { ActiveEnrollment, CandidateIdentity, candidateStreamId, EnrollmentEvent, enrollmentStreamId, foldEnrollment, isWithheld } from '@jalon/domain';
import { EventStore, fromRecorded, RecordedEvent, SqlDb } from '@jalon/event-store';
import { PersonalDataReadLog } from '@jalon/privacy';
import { Issuance, verificationUrl } from '../issuance.service';
import { holderName } from '../render/french';
import { DeliveredFact, deliveryMessage, DeliveryMessageInput } from './delivery-message';
import {
  AddressCompletedJob,
  DELIVERED_EVENTS,
  DeliveredEvent,
  deliveredNumber,
  DeliveryJob,
  DeliveryOutcome,
  DeliveryRecord,
  DocumentEventJob,
  isAddressCompletedJob,
  recordDeliveries,
  recordDeliveriesStatement,
} from './document-delivery.projection';
import { Mailer, MailRefusedError, OutgoingMail } from './mailer';

export interface DocumentDeliveryDependencies {
  /** Where the outcomes are recorded (document_deliveries). */
  readonly db: SqlDb;
  /** Where the document events are read. */
  readonly store: EventStore;
  /** What a document shows (its facts) and who holds it (the identity, opened). */
  readonly issuance: Pick<Issuance, 'facts' | 'identity'>;
  /** Every opening of an address is a recorded read (R14). */
  readonly readLog: PersonalDataReadLog;
  readonly mailer: Mailer;
  /** The sender of a document's e-mail, by its référentiel: its certifier's, else the default (see configuredSender). */
  readonly senderOf: (referentialId: string) => Mailbox;
  /** e.g. https://certificats.example.fr: the links, and the domain of the Message-IDs. */
  readonly publicBaseUrl: string;
}

/** What a delivery job did: a document event's outcome, or that it was done before, or that an address completed owed nothing. */
export type DeliveryResult = DeliveryOutcome | 'already-delivered' | 'nothing-owed';

/** The console's page of a path, where its holder (signed in) downloads its documents. */
export const documentsPageUrl = (publicBaseUrl: string, enrollmentId: string) => `${publicBaseUrl.replace(/\/+$/, '')}/parcours/${enrollmentId}`;

/** The one Message-ID of a document event's e-mail: sent again after a crash, it is the same message to the servers that receive it. */
export const deliveryMessageId = (publicBaseUrl: string, eventId: string) => `<${eventId}.document@${new URL(publicBaseUrl).hostname}>`;

const SENDER = { id: 'jalon-delivery', role: 'system' } as const;
/** The identity fields an e-mail reads: what the read log names (never their values). */
const FIELDS_READ = ['firstNames', 'birthName', 'email'];

const FACTS: { [T in DeliveredEvent['type']]: (event: Extract<DeliveredEvent, { type: T }>) => DeliveredFact } = {
  DocumentIssued: (e) => ({ type: 'issued', at: e.data.at }),
  DocumentRevoked: (e) => ({ type: 'revoked', at: e.data.at, reasonCategory: e.data.reasonCategory }),
  DocumentReissued: (e) => ({ type: 'reissued', at: e.data.at, version: e.data.reissue.version }),
};
const factOf = (event: DeliveredEvent): DeliveredFact => (FACTS[event.type] as (e: DeliveredEvent) => DeliveredFact)(event);
const isDelivered = (event: EnrollmentEvent): event is DeliveredEvent => (DELIVERED_EVENTS as readonly string[]).includes(event.type);

/** The holder's address, where their identity gives one that is an address. */
const addressOf = (identity: CandidateIdentity): string | undefined => {
  const to = identity.email?.trim();
  return to && EMAIL_ADDRESS.test(to) ? to : undefined;
};

/** A row of document_deliveries as the sender reads it. */
interface DeliveryRow {
  readonly eventId: string;
  readonly enrollmentId: string;
  readonly candidateId: string | null;
  readonly outcome: DeliveryOutcome;
  /** The job that took a 'no-email' row on, to send it late: an identity amendment's id, or the row's own event id. */
  readonly claim: string | null;
}
/** A 'no-email' row taken on since: its e-mail is on its way (or will be), by the job that claimed it. */
const pendingLate = (row: DeliveryRow) => row.outcome === 'no-email' && row.claim !== null;

/** The holder as the sender knows them without opening anything: their stream's revision, and their organisation. */
interface Holder {
  readonly candidateId: string;
  readonly organisationId: string;
  readonly revision: number;
}

/** A document event read from its enrollment: where it stands there, and the enrollment it folds to. */
interface DocumentEvent {
  readonly recorded: readonly RecordedEvent[];
  readonly events: readonly EnrollmentEvent[];
  readonly at: number;
  readonly event: DeliveredEvent;
  readonly number: string;
  readonly state: ActiveEnrollment;
}

/**
 * Sends each document event's e-mail to its holder, once (DESIGN.md decision 5, for e-mails). The
 * outcome recorded for the event is checked first and written once the mail server accepted the
 * message, so a job run again (a replay, the reconciler, a worker killed after the outcome was
 * written) sends nothing more.
 *
 * No design makes a send and its record one act: SMTP cannot take part in a transaction, and no
 * number of acknowledgements makes two parties that exchange messages over a link that may fail
 * agree for certain that one was delivered (the two generals' problem). What a worker killed
 * mid-send leaves must therefore be read one way or the other, and Jalon reads it so that no
 * message ever reaches its holder twice. Each attempt is recorded before the connection opens, and
 * recorded handed over (`handed_over_at`) at the one point from which the message can reach its
 * holder: the server has the envelope and the whole content and waits for the line that ends the
 * data, which the mailer sends only once that record committed. An attempt the next one finds open:
 * - not handed over: its worker died before that line; the server dropped the unfinished message,
 *   and it is sent again (`interrupted` counts those);
 * - handed over: its worker died after the record, most likely after that line too; the message is
 *   not sent again but recorded `unconfirmed`, listed for an admin, who can check with the holder and
 *   send it again (`askResend`), by their decision.
 * The price is a message lost if the worker dies between the hand-over's commit and the write of
 * the last line — a few microseconds, against the tens of milliseconds the server takes to accept —
 * and even then it is listed as unconfirmed, never silently gone. A live worker that reads an error
 * after the hand-over (the server refused the data, or went away) knows it was not accepted, or
 * cannot tell because the mail server failed, and tries again: a mail server down delays, never
 * loses. A message sent again by an admin is the same message, its Message-ID derived from the
 * event id.
 *
 * A holder whose personal data was erased gets nothing (there is no address left to write to); a
 * holder without an address is recorded as such, for an admin to see (undeliveredForWantOfEmail).
 * Once their address is completed (an identity amendment of their e-mail), the address job sends
 * them the current state of each such document, once: the e-mail of its latest event, under that
 * event's Message-ID, saying it comes late; its earlier events' e-mails are superseded. Each such
 * row is claimed first by the one job that may send it (`address_completed_by`), so two amendments,
 * or an amendment and a document event read at the same moment, never both send it.
 *
 * A message the mail server refuses for good (5xx) fails its job at once, for an admin to see; the
 * reconciler asks again every minute. When it refused the address itself, nothing is sent or opened
 * again until the holder's identity changes, and an amendment of their address asks again at once.
 */
export class DocumentDelivery {
  constructor(private readonly deps: DocumentDeliveryDependencies) {}

  deliver(job: DeliveryJob): Promise<DeliveryResult> {
    return isAddressCompletedJob(job) ? this.completeAddress(job) : this.deliverEvent(job);
  }

  /** A document event's e-mail, to its holder. */
  private async deliverEvent(job: DocumentEventJob): Promise<DeliveryResult> {
    const [existing] = await this.rows(sql`event_id = ${job.eventId}`);
    if (existing) {
      // Taken on late by this very job (an address completed while it first ran): it goes on with it.
      if (existing.outcome === 'no-email' && existing.claim === job.eventId && existing.candidateId)
        return (await this.lateRound(existing.candidateId, job.eventId, { own: existing })).outcome === 'done' ? 'sent' : 'no-email';
      return 'already-delivered';
    }
    const document = await this.documentEvent(job);
    const { recorded, events, at, event, number, state } = document;
    // A document's e-mails go in the order of its events: a revocation is not told before the issue.
    const earlier = recorded.filter((e, i) => i < at && isDelivered(events[i]) && deliveredNumber(events[i] as DeliveredEvent) === number).map((e) => e.id);
    const settled = await this.rows(sql`event_id = ANY(${earlier}::text[])`);
    if (settled.length < earlier.length || settled.some(pendingLate))
      throw new Error(`document ${number}: the e-mail of an earlier event is not sent yet; retried after it`);
    // This event tells the document's state: an earlier one its holder was not told of for want of an address is not to be sent any more.
    if (earlier.length > 0)
      await sql`UPDATE document_deliveries SET outcome = 'superseded'
        WHERE event_id = ANY(${earlier}::text[]) AND outcome = 'no-email' AND address_completed_by IS NULL`.execute(this.deps.db);

    const outcome = (o: DeliveryOutcome, messageId?: string): DeliveryRecord => ({
      eventId: job.eventId,
      enrollmentId: job.enrollmentId,
      candidateId: state.candidateId,
      number,
      eventType: event.type,
      outcome: o,
      ...(messageId ? { messageId } : {}),
    });
    const messageId = deliveryMessageId(this.deps.publicBaseUrl, job.eventId);
    const holder = await this.holder(state.candidateId);
    await this.assertNotRefusedAgain([messageId], holder);
    const identity = await this.deps.issuance.identity(state.candidateId);
    if (isWithheld(identity)) {
      await recordDeliveries(this.deps.db, [outcome('holder-erased')]);
      return 'holder-erased';
    }
    await this.recordRead(holder, identity, job.enrollmentId);
    const to = addressOf(identity);
    if (!to) {
      await recordDeliveries(this.deps.db, [outcome('no-email')]);
      // An address completed while this job read the identity: the address job may have looked
      // before this row was written. This job takes the row on, unless that one did.
      if (!(await this.emailAmendedSince(holder))) return 'no-email';
      const [claimed] = await this.claim(sql`event_id = ${job.eventId}`, job.eventId);
      if (!claimed) return 'no-email';
      return (await this.lateRound(state.candidateId, job.eventId, { own: claimed })).outcome === 'done' ? 'sent' : 'no-email';
    }
    const mail = await this.mail(document, identity, to, job, { late: false });
    return this.send(mail, { ...job, holder }, (o) => recordDeliveriesStatement([outcome(o, messageId)]));
  }

  /**
   * An address completed: its holder is sent, once, the current state of each document they were
   * not told of for want of one. Nothing is opened when there is nothing to send.
   */
  private async completeAddress(job: AddressCompletedJob): Promise<DeliveryResult> {
    const taken = await this.rows(sql`address_completed_by = ${job.eventId} AND outcome = 'no-email'`);
    const { rows: done } = await sql`SELECT 1 FROM document_address_completions WHERE event_id = ${job.eventId}`.execute(this.deps.db);
    if (done.length > 0 && taken.length === 0) return 'already-delivered';
    const untold = await this.rows(sql`candidate_id = ${job.candidateId} AND outcome = 'no-email' AND address_completed_by IS NULL`);
    if (taken.length === 0 && untold.length === 0) {
      await this.recordCompletion(job, 'done', 0);
      return 'nothing-owed';
    }
    const { outcome, sent } = await this.lateRound(job.candidateId, job.eventId, { takeOn: true });
    await this.recordCompletion(job, outcome, sent);
    return outcome === 'done' ? (sent > 0 ? 'sent' : 'nothing-owed') : outcome;
  }

  /**
   * Sends late, under `claim`, the documents claimed by it (and, with `takeOn`, first claims the
   * holder's others not yet taken on): the identity opened once, each document's latest event
   * e-mailed, its earlier ones superseded. Without an address after all (the amendment was
   * undone), the claims are let go; should another amendment have come meanwhile, it goes round again.
   */
  private async lateRound(
    candidateId: string,
    claim: string,
    scope: { takeOn: true } | { own: DeliveryRow },
  ): Promise<{ outcome: 'done' | 'no-email' | 'holder-erased'; sent: number }> {
    for (;;) {
      const holder = await this.holder(candidateId);
      const mine = await this.rows(sql`address_completed_by = ${claim} AND outcome = 'no-email'`);
      await this.assertNotRefusedAgain(
        mine.map((row) => deliveryMessageId(this.deps.publicBaseUrl, row.eventId)),
        holder,
      );
      const identity = await this.deps.issuance.identity(candidateId);
      if (isWithheld(identity)) {
        await sql`UPDATE document_deliveries SET outcome = 'holder-erased' WHERE address_completed_by = ${claim} AND outcome = 'no-email'`.execute(
          this.deps.db,
        );
        return { outcome: 'holder-erased', sent: 0 };
      }
      await this.recordRead(holder, identity, 'own' in scope ? scope.own.enrollmentId : undefined);
      const to = addressOf(identity);
      if (!to) {
        await sql`UPDATE document_deliveries SET address_completed_by = NULL WHERE address_completed_by = ${claim} AND outcome = 'no-email'`.execute(
          this.deps.db,
        );
        if (!(await this.emailAmendedSince(holder))) return { outcome: 'no-email', sent: 0 };
        // Completed again meanwhile: its job may have looked while these were claimed here.
        const taken = 'own' in scope ? await this.claim(sql`event_id = ${scope.own.eventId}`, claim) : [];
        if ('own' in scope && taken.length === 0) return { outcome: 'no-email', sent: 0 };
        continue;
      }
      if ('takeOn' in scope) await this.claim(sql`candidate_id = ${candidateId}`, claim);
      let sent = 0;
      for (const row of await this.rows(sql`address_completed_by = ${claim} AND outcome = 'no-email'`))
        if (await this.sendLate(row, holder, identity, to, claim)) sent += 1;
      return { outcome: 'done', sent };
    }
  }

  /** One document sent late: its latest event's e-mail, or nothing if a later event of the document tells its state. */
  private async sendLate(row: DeliveryRow, holder: Holder, identity: CandidateIdentity, to: string, claim: string): Promise<boolean> {
    const job = { eventId: row.eventId, enrollmentId: row.enrollmentId };
    const document = await this.documentEvent(job);
    const { events, at, number } = document;
    if (events.some((e, i) => i > at && isDelivered(e) && deliveredNumber(e) === number)) {
      await sql`UPDATE document_deliveries SET outcome = 'superseded'
        WHERE event_id = ${row.eventId} AND outcome = 'no-email' AND address_completed_by = ${claim}`.execute(this.deps.db);
      return false;
    }
    // The first the holder hears of the document, unless an earlier event's e-mail went (their address was removed since, say).
    const earlier = document.recorded
      .filter((e, i) => i < at && isDelivered(events[i]) && deliveredNumber(events[i] as DeliveredEvent) === number)
      .map((e) => e.id);
    const { rows: told } = await sql`SELECT 1 FROM document_deliveries
      WHERE event_id = ANY(${earlier}::text[]) AND outcome IN ('sent', 'unconfirmed') LIMIT 1`.execute(this.deps.db);
    const mail = await this.mail(document, identity, to, job, { late: true, firstTold: told.length === 0 });
    await this.send(
      mail,
      { ...job, holder },
      (o) => sql`UPDATE document_deliveries SET outcome = ${o}, message_id = ${mail.messageId}, sent_late_at = clock_timestamp()
        WHERE event_id = ${row.eventId} AND outcome = 'no-email'`,
    );
    return true;
  }

  /**
   * Hands the message to the mail server, and records its outcome with `record`: `sent` once the
   * server accepted it; `unconfirmed`, without sending, when the last attempt was handed over by a
   * worker that died before the server's answer (see the class comment). The statement recording it
   * sent is built before the message goes, and runs in the tick the server's acceptance is read.
   */
  private async send(
    mail: OutgoingMail,
    attempt: DocumentEventJob & { holder: Holder },
    record: (outcome: 'sent' | 'unconfirmed') => RawBuilder<unknown>,
  ): Promise<'sent' | 'unconfirmed'> {
    const db = this.deps.db;
    const { messageId } = mail;
    // The attempt closed and the outcome recorded together: a failure between them would send the message again.
    const unconfirmed = await db.transaction().execute(async (trx) => {
      const { rows } = await sql`UPDATE document_delivery_attempts SET open = false, interrupted = interrupted + 1
        WHERE message_id = ${messageId} AND open AND handed_over_at IS NOT NULL RETURNING 1`.execute(trx);
      if (rows.length > 0) await record('unconfirmed').execute(trx);
      return rows.length > 0;
    });
    if (unconfirmed) return 'unconfirmed';
    await sql`INSERT INTO document_delivery_attempts (message_id, event_id, enrollment_id, candidate_id, attempts, open)
      VALUES (${messageId}, ${attempt.eventId}, ${attempt.enrollmentId}, ${attempt.holder.candidateId}, 1, true)
      ON CONFLICT (message_id) DO UPDATE SET
        attempts = document_delivery_attempts.attempts + 1,
        interrupted = document_delivery_attempts.interrupted + CASE WHEN document_delivery_attempts.open THEN 1 ELSE 0 END,
        open = true, handed_over_at = NULL, refused = false, refused_at_revision = NULL, last_error = NULL, last_attempt_at = clock_timestamp()`.execute(db);
    const sent = sql`WITH closed AS (UPDATE document_delivery_attempts SET open = false WHERE message_id = ${messageId}) ${record('sent')}`;
    const handingOver = async () => {
      await sql`UPDATE document_delivery_attempts SET handed_over_at = clock_timestamp() WHERE message_id = ${messageId}`.execute(db);
    };
    try {
      await this.deps.mailer.send(mail, handingOver);
    } catch (error) {
      // Not accepted (or the mail server went away before saying): tried again, the hand-over undone.
      // The address refused: not tried again until it changes. Any refusal for good: failed at once, not retried with backoff.
      const refused = error instanceof MailRefusedError && error.addressRefused;
      const message = error instanceof Error ? error.message : String(error);
      await sql`UPDATE document_delivery_attempts SET open = false, handed_over_at = NULL, refused = ${refused},
          refused_at_revision = ${refused ? attempt.holder.revision : null}, last_error = ${message}
        WHERE message_id = ${messageId}`
        .execute(db)
        .catch(() => undefined);
      if (error instanceof MailRefusedError) throw new UnrecoverableError(message);
      throw error;
    }
    await sent.execute(db);
    return 'sent';
  }

  /** A message the server refused is not sent again, nor its holder's identity opened, until that identity changes. */
  private async assertNotRefusedAgain(messageIds: readonly string[], holder: Holder): Promise<void> {
    if (messageIds.length === 0) return;
    const { rows } = await sql<{ last_error: string }>`SELECT last_error FROM document_delivery_attempts
      WHERE message_id = ANY(${[...messageIds]}::text[]) AND refused AND refused_at_revision = ${holder.revision} LIMIT 1`.execute(this.deps.db);
    if (rows.length > 0) throw new UnrecoverableError(`${rows[0].last_error} (not sent again until the holder's address is corrected)`);
  }

  /** The e-mail of a document event, in French, under its event's Message-ID. */
  private async mail(
    document: DocumentEvent,
    identity: CandidateIdentity,
    to: string,
    job: DocumentEventJob,
    timing: Pick<DeliveryMessageInput, 'late' | 'firstTold'>,
  ): Promise<OutgoingMail> {
    const { state, recorded, event, number } = document;
    const issued = state.documents[number];
    const facts = await this.deps.issuance.facts(
      { kind: issued.kind, enrollmentId: job.enrollmentId, decisionEventId: issued.decisionEventId },
      state,
      recorded,
    );
    const message = deliveryMessage({
      document: facts,
      holder: holderName(identity),
      fact: factOf(event),
      verificationUrl: verificationUrl(this.deps.publicBaseUrl, number),
      downloadUrl: documentsPageUrl(this.deps.publicBaseUrl, job.enrollmentId),
      ...timing,
    });
    return { from: this.deps.senderOf(facts.referentialId), to, messageId: deliveryMessageId(this.deps.publicBaseUrl, job.eventId), ...message };
  }

  private async documentEvent(job: DocumentEventJob): Promise<DocumentEvent> {
    const recorded = await this.deps.store.readStream(enrollmentStreamId(job.enrollmentId));
    const at = recorded.findIndex((e) => e.id === job.eventId);
    if (at < 0) throw new Error(`event ${job.eventId} is not in enrollment ${job.enrollmentId}`);
    const events = recorded.map((e) => fromRecorded<EnrollmentEvent>(e));
    const event = events[at];
    if (!isDelivered(event)) throw new Error(`event ${job.eventId} is a ${event.type}, not a document event`);
    const number = deliveredNumber(event);
    const state = foldEnrollment(events);
    if (state.status === 'none' || !state.documents[number]) throw new Error(`document ${number} is not recorded on enrollment ${job.enrollmentId}`);
    return { recorded, events, at, event, number, state };
  }

  /** The holder's stream, unopened: its revision (read before their identity is, see emailAmendedSince) and their organisation. */
  private async holder(candidateId: string): Promise<Holder> {
    const events = await this.deps.store.readStream(candidateStreamId(candidateId));
    if (events.length === 0) throw new Error(`candidate ${candidateId} is not registered`);
    return {
      candidateId,
      organisationId: (events[0].data as { organisationId: string }).organisationId,
      revision: events[events.length - 1].streamRevision,
    };
  }

  /** Whether the holder's e-mail address was amended after their stream stood at `holder.revision` (a clear field names it: nothing is opened). */
  private async emailAmendedSince(holder: Holder): Promise<boolean> {
    const since = await this.deps.store.readStream(candidateStreamId(holder.candidateId), { fromRevision: holder.revision + 1 });
    return since.some((e) => e.type === 'CandidateIdentityAmended' && ((e.data as { fields?: readonly string[] }).fields ?? []).includes('email'));
  }

  /** Opened to write to them: recorded before anything of it is used (R14). */
  private async recordRead(holder: Holder, identity: CandidateIdentity, enrollmentId?: string): Promise<void> {
    await this.deps.readLog.record({
      actor: { ...SENDER, organisationId: holder.organisationId },
      candidateId: holder.candidateId,
      ...(enrollmentId ? { enrollmentId } : {}),
      view: 'identity:delivery',
      subjects: identity.usageName ? [...FIELDS_READ, 'usageName'] : FIELDS_READ,
    });
  }

  private async rows(where: RawBuilder<unknown>): Promise<DeliveryRow[]> {
    const { rows } = await sql<{ event_id: string; enrollment_id: string; candidate_id: string | null; outcome: DeliveryOutcome; claim: string | null }>`
      SELECT event_id, enrollment_id, candidate_id, outcome, address_completed_by AS claim FROM document_deliveries
      WHERE ${where} ORDER BY recorded_at, event_id`.execute(this.deps.db);
    return rows.map((r) => ({ eventId: r.event_id, enrollmentId: r.enrollment_id, candidateId: r.candidate_id, outcome: r.outcome, claim: r.claim }));
  }

  /** Claims the 'no-email' rows (of `where`) no job has taken on yet, for `claim`: the ones it got. */
  private async claim(where: RawBuilder<unknown>, claim: string): Promise<DeliveryRow[]> {
    const { rows } = await sql<{ event_id: string; enrollment_id: string; candidate_id: string | null }>`
      UPDATE document_deliveries SET address_completed_by = ${claim}
      WHERE ${where} AND outcome = 'no-email' AND address_completed_by IS NULL
      RETURNING event_id, enrollment_id, candidate_id`.execute(this.deps.db);
    return rows.map((r) => ({ eventId: r.event_id, enrollmentId: r.enrollment_id, candidateId: r.candidate_id, outcome: 'no-email', claim }));
  }

  private async recordCompletion(job: AddressCompletedJob, outcome: 'done' | 'no-email' | 'holder-erased', sent: number): Promise<void> {
    await sql`INSERT INTO document_address_completions (event_id, candidate_id, outcome, sent) VALUES (${job.eventId}, ${job.candidateId}, ${outcome}, ${sent})
      ON CONFLICT (event_id) DO NOTHING`.execute(this.deps.db);
  }

  close(): void {
    this.deps.mailer.close();
  }
}

/**
 * Who a document's e-mail comes from: the `mailFrom` of the certifier (CERTIFIERS) whose
 * certifications include its référentiel, else the default sender (MAIL_FROM, else the issuer).
 */
export function configuredSender(config: Pick<AppConfig, 'delivery' | 'certifiers'>): (referentialId: string) => Mailbox {
  if (!config.delivery) throw new Error('delivery is off: no sender is configured');
  const fallback = parseMailbox(config.delivery.from)!;
  const byReferential = new Map<string, Mailbox>();
  for (const certifier of config.certifiers) {
    if (!certifier.mailFrom) continue;
    for (const certification of certifier.certifications)
      if (!byReferential.has(certification.referentialId)) byReferential.set(certification.referentialId, parseMailbox(certifier.mailFrom)!);
  }
  return (referentialId) => byReferential.get(referentialId) ?? fallback;
}
