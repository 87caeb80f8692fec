import { Inject, Injectable } from '@nestjs/common';
import { decideEnrollment, EnrollmentEvent, transferInCommand } from '@jalon/domain';
import { HandledCommand } from '@jalon/event-store';
import { unfinishedTransfers } from '@jalon/read-models';
import { ReferentialResolver } from './referential-resolver.service';
import { StreamCommandHandlers } from './stream-command-handlers';
import { SQL_DB, SqlDb } from './runtime.tokens';

/** A transfer is left to its request this long before the worker completes it. */
export const TRANSFER_GRACE_MS = 30_000;

/**
 * A transfer writes two streams one after the other: the source says it moved (TransferOut), then
 * the new enrollment is written (EnrollByTransfer). This is the one writer of that second half, for
 * the request itself and, if the request died between the two, for its retry or the worker's sweep:
 * always from the source's own record of the transfer (transferInCommand), so the new enrollment is
 * the one the request would have written. The new stream is written only if it does not exist yet:
 * two completing it at once make one write and one no-op, not a duplicate.
 */
@Injectable()
export class TransferCompletion {
  constructor(
    @Inject(SQL_DB) private readonly db: SqlDb,
    private readonly referentials: ReferentialResolver,
    private readonly handlers: StreamCommandHandlers,
  ) {}

  /**
   * Completes the transfers recorded more than `graceMs` ago (as the candidate-path read model
   * knows them) whose new enrollment is missing; answers the source enrollments completed.
   */
  async completeUnfinished(graceMs = TRANSFER_GRACE_MS): Promise<string[]> {
    const cutoff = new Date(Date.now() - graceMs).toISOString();
    const sources = await unfinishedTransfers(this.db, cutoff);
    const completed: string[] = [];
    for (const sourceId of sources) {
      const result = await this.complete(sourceId, { causationId: `transfer-completion:${sourceId}` });
      if (result && result.events.length > 0) completed.push(sourceId);
    }
    return completed;
  }

  /**
   * Writes the new enrollment of the source's transfer unless it exists (then it answers no event);
   * undefined when the source was not transferred.
   */
  async complete(sourceEnrollmentId: string, context: { readonly causationId?: string } = {}): Promise<HandledCommand<EnrollmentEvent> | undefined> {
    const { state: source } = await this.handlers.enrollments.load(sourceEnrollmentId);
    if (source.status !== 'transferred') return undefined;
    const command = transferInCommand(sourceEnrollmentId, source);
    const referential = await this.referentials.resolve(command.data.referentialId, command.data.version);
    return this.handlers.enrollments.handle(
      command.data.enrollmentId,
      // Written already (by the request, or another worker, even meanwhile: a conflict decides again): nothing left to do.
      (state) => (state.status === 'none' ? decideEnrollment(command, state, { referential }) : []),
      { organisationId: source.organisationId, ...context },
    );
  }
}
