import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { AppConfig } from '@jalon/config';
import { DeliveryQueue, undeliveredForWantOfEmail } from '@jalon/issuance';
import { APP_CONFIG } from '@jalon/runtime';
import { AuthenticatedActor } from '../../auth/auth.decorators';
import { DocumentReads } from '../document-reads.service';
import { GetDocumentDeliveryQuery } from './get-document-delivery.query';

@QueryHandler(GetDocumentDeliveryQuery)
export class GetDocumentDeliveryHandler implements IQueryHandler<GetDocumentDeliveryQuery, Record<string, unknown>> {
  constructor(
    private readonly reads: DocumentReads,
    private readonly queue: DeliveryQueue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ actor }: GetDocumentDeliveryQuery): Promise<Record<string, unknown>> {
    return {
      enabled: this.config.delivery !== undefined,
      counts: await this.queue.counts(),
      failed: await this.own(await this.queue.failed(actor.role === 'auditor' ? 100 : 1000), (f) => f.data.enrollmentId, actor),
      undelivered: await this.own(await undeliveredForWantOfEmail(this.reads.db, actor.role === 'auditor' ? 100 : 1000), (d) => d.enrollmentId, actor),
    };
  }

  /** Of these, those of the enrollments the actor may see (an auditor: all); read past the first hundred, so other organisations' do not hide this one's. */
  private async own<T>(items: T[], enrollmentOf: (item: T) => string, actor: AuthenticatedActor): Promise<T[]> {
    if (actor.role === 'auditor' || items.length === 0) return items.slice(0, 100);
    const own = await this.reads.ownEnrollments(items.map(enrollmentOf), actor);
    return items.filter((item) => own.has(enrollmentOf(item))).slice(0, 100);
  }
}
