import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { IssuanceQueue, notIssuedForErasedHolders } from '@jalon/issuance';
import { AuthenticatedActor } from '../../auth/auth.decorators';
import { DocumentReads } from '../document-reads.service';
import { GetIssuanceQueueQuery } from './get-issuance-queue.query';

@QueryHandler(GetIssuanceQueueQuery)
export class GetIssuanceQueueHandler implements IQueryHandler<GetIssuanceQueueQuery, Record<string, unknown>> {
  constructor(
    private readonly reads: DocumentReads,
    private readonly queue: IssuanceQueue,
  ) {}

  async execute({ actor }: GetIssuanceQueueQuery): Promise<Record<string, unknown>> {
    return { counts: await this.queue.counts(), failed: await this.failedIssuance(actor), notIssued: await this.notIssued(actor) };
  }

  /** The issuance jobs that failed for good, of the enrollments the actor may see (an auditor: all). */
  private async failedIssuance(actor: AuthenticatedActor) {
    // Read past the first hundred: other organisations' failures must not hide this one's.
    const failed = await this.queue.failed(actor.role === 'auditor' ? 100 : 1000);
    if (actor.role === 'auditor' || failed.length === 0) return failed;
    const own = await this.reads.ownEnrollments(
      failed.map((f) => f.data.job.enrollmentId),
      actor,
    );
    return failed.filter((f) => own.has(f.data.job.enrollmentId));
  }

  /** The decisions whose document will never be issued, of the enrollments the actor may see: what the reconciler leaves alone. */
  private async notIssued(actor: AuthenticatedActor) {
    const notIssued = await notIssuedForErasedHolders(this.reads.db, actor.role === 'auditor' ? 100 : 1000);
    if (actor.role === 'auditor' || notIssued.length === 0) return notIssued;
    const own = await this.reads.ownEnrollments(
      notIssued.map((d) => d.enrollmentId),
      actor,
    );
    return notIssued.filter((d) => own.has(d.enrollmentId));
  }
}
