import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { sql } from 'kysely';
import { AppConfig } from '@jalon/config';
import {
  deliveryFailureDetail,
  DeliveryJob,
  deliveryFailureOf,
  DeliveryQueue,
  isAddressCompletedJob,
  kindOfNumber,
  unconfirmedDeliveries,
  undeliveredForWantOfEmail,
} from '@jalon/issuance';
import { APP_CONFIG } from '@jalon/runtime';
import { AuthenticatedActor } from '../../auth/auth.decorators';
import { DocumentReads } from '../document-reads.service';
import { GetDocumentDeliveryQuery } from './get-document-delivery.query';

/** What a failed job was about: the document event and its holder, where the log says (an address job names its holder only). */
interface FailedSubject {
  readonly enrollmentId?: string;
  readonly candidateId?: string;
  readonly number?: string;
  readonly eventType?: string;
}

@QueryHandler(GetDocumentDeliveryQuery)
export class GetDocumentDeliveryHandler implements IQueryHandler<GetDocumentDeliveryQuery, Record<string, unknown>> {
  constructor(
    private readonly reads: DocumentReads,
    private readonly queue: DeliveryQueue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ actor }: GetDocumentDeliveryQuery): Promise<Record<string, unknown>> {
    const limit = actor.role === 'auditor' ? 100 : 1000;
    const failedJobs = await this.queue.failed(limit);
    const subjects = await this.subjectsOf(failedJobs.map((f) => f.data));
    const failed = failedJobs.map((f) => {
      const subject = subjects.get(f.data.eventId) ?? {};
      return {
        ...f,
        reason: deliveryFailureOf(f.error ?? ''),
        detail: deliveryFailureDetail(f.error ?? ''),
        ...subject,
        ...(subject.number ? { kind: kindOfNumber(subject.number) } : {}),
      };
    });
    const own = await this.own(failed, (f) => ({ enrollmentId: f.enrollmentId, candidateId: f.candidateId }), actor);
    return {
      enabled: this.config.delivery !== undefined,
      ...(this.config.delivery ? { sender: this.config.delivery.from } : {}),
      counts: await this.queue.counts(),
      // What failed is counted there, not as on its way.
      outcomes: await this.outcomes(
        actor,
        failedJobs.map((f) => f.data.eventId),
      ),
      failed: own,
      undelivered: await this.own(await undeliveredForWantOfEmail(this.reads.db, limit), (d) => d, actor),
      unconfirmed: await this.own(await unconfirmedDeliveries(this.reads.db, limit), (d) => d, actor),
    };
  }

  /** The document event and holder of each failed job: the outbox names the document, the path its holder. */
  private async subjectsOf(jobs: readonly DeliveryJob[]): Promise<Map<string, FailedSubject>> {
    const subjects = new Map<string, FailedSubject>();
    const documentJobs = jobs.filter((job) => !isAddressCompletedJob(job)) as { eventId: string; enrollmentId: string }[];
    for (const job of jobs) if (isAddressCompletedJob(job)) subjects.set(job.eventId, { candidateId: job.candidateId });
    if (documentJobs.length === 0) return subjects;
    const { rows } = await sql<{ event_id: string; enrollment_id: string; number: string | null; event_type: string | null; candidate_id: string | null }>`
      SELECT j.event_id, j.enrollment_id, o.number, o.event_type, p.candidate_id
      FROM unnest(${documentJobs.map((j) => j.eventId)}::text[], ${documentJobs.map((j) => j.enrollmentId)}::text[]) AS j(event_id, enrollment_id)
      LEFT JOIN delivery_outbox o ON o.event_id = j.event_id
      LEFT JOIN candidate_paths p ON p.enrollment_id = j.enrollment_id`.execute(this.reads.db);
    for (const r of rows)
      subjects.set(r.event_id, {
        enrollmentId: r.enrollment_id,
        ...(r.candidate_id ? { candidateId: r.candidate_id } : {}),
        ...(r.number ? { number: r.number } : {}),
        ...(r.event_type ? { eventType: r.event_type } : {}),
      });
    return subjects;
  }

  /**
   * What became of the document events of the actor's organisation (an auditor: all): e-mailed on
   * time or late, taken on late and on their way, without an address, not sent (holder erased,
   * delivery off, superseded), and not sent yet (queued or retried; the failed jobs aside).
   */
  private async outcomes(actor: AuthenticatedActor, failed: readonly string[]): Promise<Record<string, number>> {
    const scoped = (enrollment: ReturnType<typeof sql.ref>) =>
      actor.role === 'auditor'
        ? sql`true`
        : sql`EXISTS (SELECT 1 FROM candidate_paths p WHERE p.enrollment_id = ${enrollment} AND p.organisation_id = ${actor.organisationId})`;
    const { rows } = await sql<Record<string, string>>`
      SELECT
        count(*) FILTER (WHERE d.outcome = 'sent' AND d.sent_late_at IS NULL)::text AS sent,
        count(*) FILTER (WHERE d.outcome = 'sent' AND d.sent_late_at IS NOT NULL)::text AS sent_late,
        count(*) FILTER (WHERE d.outcome = 'no-email' AND d.address_completed_by IS NOT NULL AND d.address_completed_by <> ALL(${[...failed]}::text[]))::text AS sending_late,
        count(*) FILTER (WHERE d.outcome = 'no-email' AND d.address_completed_by IS NULL
          AND NOT EXISTS (SELECT 1 FROM candidate_keys k WHERE k.candidate_id = d.candidate_id AND k.erased_at IS NOT NULL))::text AS no_email,
        count(*) FILTER (WHERE d.outcome = 'holder-erased' OR (d.outcome = 'no-email' AND d.address_completed_by IS NULL
          AND EXISTS (SELECT 1 FROM candidate_keys k WHERE k.candidate_id = d.candidate_id AND k.erased_at IS NOT NULL)))::text AS holder_erased,
        count(*) FILTER (WHERE d.outcome = 'delivery-off')::text AS delivery_off,
        count(*) FILTER (WHERE d.outcome = 'superseded')::text AS superseded,
        count(*) FILTER (WHERE d.outcome = 'unconfirmed')::text AS unconfirmed
      FROM document_deliveries d WHERE ${scoped(sql.ref('d.enrollment_id'))}`.execute(this.reads.db);
    const { rows: pending } = await sql<{ n: string }>`
      SELECT count(*)::text AS n FROM delivery_outbox o
      WHERE NOT EXISTS (SELECT 1 FROM document_deliveries d WHERE d.event_id = o.event_id) AND o.event_id <> ALL(${[...failed]}::text[])
        AND ${scoped(sql.ref('o.enrollment_id'))}`.execute(this.reads.db);
    const r = rows[0];
    return {
      sent: Number(r.sent),
      sentLate: Number(r.sent_late),
      sendingLate: Number(r.sending_late),
      pending: Number(pending[0].n),
      noEmail: Number(r.no_email),
      holderErased: Number(r.holder_erased),
      deliveryOff: Number(r.delivery_off),
      superseded: Number(r.superseded),
      unconfirmed: Number(r.unconfirmed),
    };
  }

  /** Of these, those of the actor's organisation (an auditor: all); read past the first hundred, so other organisations' do not hide this one's. */
  private async own<T>(items: T[], subjectOf: (item: T) => { enrollmentId?: string; candidateId?: string }, actor: AuthenticatedActor): Promise<T[]> {
    if (actor.role === 'auditor' || items.length === 0) return items.slice(0, 100);
    const enrollments = await this.reads.ownEnrollments(
      items.map((item) => subjectOf(item).enrollmentId).filter((id): id is string => id !== undefined),
      actor,
    );
    // A job naming its holder only (an address job): theirs if one of their paths is.
    const candidates = items.map((item) => subjectOf(item)).filter((s) => s.enrollmentId === undefined && s.candidateId !== undefined);
    const ownCandidates = new Set<string>();
    if (candidates.length > 0) {
      const { rows } = await sql<{ candidate_id: string }>`SELECT DISTINCT candidate_id FROM candidate_paths
        WHERE candidate_id = ANY(${candidates.map((s) => s.candidateId!)}::text[]) AND organisation_id = ${actor.organisationId}`.execute(this.reads.db);
      for (const r of rows) ownCandidates.add(r.candidate_id);
    }
    return items
      .filter((item) => {
        const { enrollmentId, candidateId } = subjectOf(item);
        return enrollmentId !== undefined ? enrollments.has(enrollmentId) : candidateId !== undefined && ownCandidates.has(candidateId);
      })
      .slice(0, 100);
  }
}
