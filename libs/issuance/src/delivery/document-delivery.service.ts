import { AppConfig, EMAIL_ADDRESS, Mailbox, parseMailbox } from '@jalon/config';
import { EnrollmentEvent, enrollmentStreamId, foldEnrollment, isWithheld } from '@jalon/domain';
import { EventStore, fromRecorded, SqlDb } from '@jalon/event-store';
import { PersonalDataReadLog } from '@jalon/privacy';
import { Issuance, verificationUrl } from '../issuance.service';
import { holderName } from '../render/french';
import { DeliveredFact, deliveryMessage } from './delivery-message';
import {
  DELIVERED_EVENTS,
  DeliveredEvent,
  deliveredNumber,
  DeliveryJob,
  DeliveryOutcome,
  deliveryOutcomes,
  DeliveryRecord,
  recordDeliveries,
} from './document-delivery.projection';
import { Mailer } from './mailer';

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

/**
 * Sends each document event's e-mail to its holder, once (DESIGN.md decision 5, for e-mails). The
 * outcome recorded for the event is checked first and written once the mail server accepted the
 * message, so a job run again (a replay, the reconciler, a worker killed after the outcome was
 * written) sends nothing more. One window remains: a worker killed after the server's acceptance
 * and before the outcome is written sends the message again when its job is taken up — at least
 * once, not exactly once, there: SMTP has no way to take part in a transaction. The message is then
 * the same, Message-ID included (derived from the event id), so receiving servers and mail readers
 * that deduplicate by Message-ID show it once.
 *
 * A holder whose personal data was erased gets nothing (there is no address left to write to); a
 * holder without an address is recorded as such, for an admin to see (undeliveredForWantOfEmail).
 */
export class DocumentDelivery {
  constructor(private readonly deps: DocumentDeliveryDependencies) {}

  async deliver(job: DeliveryJob): Promise<DeliveryOutcome | 'already-delivered'> {
    if ((await deliveryOutcomes(this.deps.db, [job.eventId])).size > 0) return 'already-delivered';
    const recorded = await this.deps.store.readStream(enrollmentStreamId(job.enrollmentId));
    const at = recorded.findIndex((e) => e.id === job.eventId);
    if (at < 0) throw new Error(`event ${job.eventId} is not in enrollment ${job.enrollmentId}`);
    const events = recorded.map((e) => fromRecorded<EnrollmentEvent>(e));
    const event = events[at];
    if (!isDelivered(event)) throw new Error(`event ${job.eventId} is a ${event.type}, not a document event`);
    const number = deliveredNumber(event);
    // A document's e-mails go in the order of its events: a revocation is not told before the issue.
    const earlier = recorded.filter((e, i) => i < at && isDelivered(events[i]) && deliveredNumber(events[i] as DeliveredEvent) === number).map((e) => e.id);
    const settled = await deliveryOutcomes(this.deps.db, earlier);
    if (settled.size < earlier.length) throw new Error(`document ${number}: the e-mail of an earlier event is not sent yet; retried after it`);

    const state = foldEnrollment(events);
    if (state.status === 'none' || !state.documents[number]) throw new Error(`document ${number} is not recorded on enrollment ${job.enrollmentId}`);
    const document = state.documents[number];
    const outcome = (o: DeliveryOutcome, messageId?: string): DeliveryRecord => ({
      eventId: job.eventId,
      enrollmentId: job.enrollmentId,
      candidateId: state.candidateId,
      number,
      eventType: event.type,
      outcome: o,
      ...(messageId ? { messageId } : {}),
    });

    const identity = await this.deps.issuance.identity(state.candidateId);
    if (isWithheld(identity)) {
      await recordDeliveries(this.deps.db, [outcome('holder-erased')]);
      return 'holder-erased';
    }
    // Opened to write to them: recorded before anything of it is used (R14).
    await this.deps.readLog.record({
      actor: { ...SENDER, organisationId: state.organisationId },
      candidateId: state.candidateId,
      enrollmentId: job.enrollmentId,
      view: 'identity:delivery',
      subjects: identity.usageName ? [...FIELDS_READ, 'usageName'] : FIELDS_READ,
    });
    const to = identity.email?.trim();
    if (!to || !EMAIL_ADDRESS.test(to)) {
      await recordDeliveries(this.deps.db, [outcome('no-email')]);
      return 'no-email';
    }

    const facts = await this.deps.issuance.facts(
      { kind: document.kind, enrollmentId: job.enrollmentId, decisionEventId: document.decisionEventId },
      state,
      recorded,
    );
    const message = deliveryMessage({
      document: facts,
      holder: holderName(identity),
      fact: factOf(event),
      verificationUrl: verificationUrl(this.deps.publicBaseUrl, number),
      downloadUrl: documentsPageUrl(this.deps.publicBaseUrl, job.enrollmentId),
    });
    const messageId = deliveryMessageId(this.deps.publicBaseUrl, job.eventId);
    await this.deps.mailer.send({ from: this.deps.senderOf(facts.referentialId), to, messageId, ...message });
    // Accepted: from here until this row is written is the window in which a crash sends it again.
    await recordDeliveries(this.deps.db, [outcome('sent', messageId)]);
    return 'sent';
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
