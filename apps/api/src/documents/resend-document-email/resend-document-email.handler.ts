import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { sql } from 'kysely';
import { AppConfig } from '@jalon/config';
import { ConflictError, NotFoundError } from '@jalon/domain';
import { DeliveryQueue, takeBackUnconfirmed } from '@jalon/issuance';
import { APP_CONFIG } from '@jalon/runtime';
import { DocumentReads } from '../document-reads.service';
import { ResendDocumentEmailCommand } from './resend-document-email.command';

@CommandHandler(ResendDocumentEmailCommand)
export class ResendDocumentEmailHandler implements ICommandHandler<ResendDocumentEmailCommand> {
  constructor(
    private readonly reads: DocumentReads,
    private readonly queue: DeliveryQueue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ eventId, actor }: ResendDocumentEmailCommand): Promise<{ eventId: string; enrollmentId: string }> {
    const { rows } = await sql<{ enrollment_id: string; outcome: string }>`
      SELECT enrollment_id, outcome FROM document_deliveries WHERE event_id = ${eventId}`.execute(this.reads.db);
    if (rows.length === 0 || !(await this.reads.ownEnrollments([rows[0].enrollment_id], actor)).has(rows[0].enrollment_id))
      throw new NotFoundError('DELIVERY.NOT_FOUND', 'no e-mail of such a document event in the caller’s organisation');
    if (!this.config.delivery) throw new ConflictError('DELIVERY.OFF', 'document delivery by e-mail is off (SMTP_URL is not set)');
    const notUnconfirmed = (outcome: string) =>
      new ConflictError('DELIVERY.NOT_UNCONFIRMED', `this e-mail is ${outcome}: only an unconfirmed one is sent again`, { outcome });
    if (rows[0].outcome !== 'unconfirmed') throw notUnconfirmed(rows[0].outcome);
    // Taken back and re-enqueued: should the queue be unreachable, the reconciler finds the event without an outcome within a minute.
    const job = await takeBackUnconfirmed(this.reads.db, eventId, actor.id);
    if (!job) throw notUnconfirmed('no longer unconfirmed');
    await this.queue.enqueueAgain(job).catch(() => undefined);
    return job;
  }
}
