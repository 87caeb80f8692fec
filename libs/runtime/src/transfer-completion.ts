import { Inject, Injectable } from '@nestjs/common';
import { decideEnrollment, EnrollmentEvent, transferInCommand } from '@jalon/domain';
import { CommandResult } from '@jalon/event-store';
import { unfinishedTransfers } from '@jalon/read-models';
import { ReferentialResolver } from './referential-resolver.service';
import { StreamCommandHandlers } from './stream-command-handlers';
import { SQL_DB, SqlDb } from './runtime.tokens';

/** A transfer is left to its request this long before the worker completes it. */
export const TRANSFER_GRACE_MS = 30_000;

/**
 * A transfer writes two streams one after the other: the source says it moved (TransferOut), then
 * the new enrollment is written (EnrollByTransfer). If the request dies between the two, the source
 * points to an enrollment that does not exist. The request's retry completes it; failing that, this
 * does, from the source's own record of the transfer (transferInCommand), so the new enrollment is
 * the one the request would have written. The new stream is written only if it does not exist yet
 * (`no_stream`): a request completing it at the same time makes this a no-op, not a duplicate.
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
    for (const sourceId of sources) if (await this.complete(sourceId)) completed.push(sourceId);
    return completed;
  }

  /** Writes the new enrollment of the source's transfer if it does not exist; undefined when there is nothing to do. */
  async complete(sourceEnrollmentId: string): Promise<CommandResult<EnrollmentEvent> | undefined> {
    const { state: source } = await this.handlers.enrollments.load(sourceEnrollmentId);
    if (source.status !== 'transferred') return undefined;
    const command = transferInCommand(sourceEnrollmentId, source);
    const referential = await this.referentials.resolve(command.data.referentialId, command.data.version);
    const result = await this.handlers.enrollments.handle(
      command.data.enrollmentId,
      // Written already (by the request, or another worker, even meanwhile: a conflict decides again): nothing left to do.
      (state) => (state.status === 'none' ? decideEnrollment(command, state, { referential }) : []),
      { organisationId: source.organisationId, causationId: `transfer-completion:${sourceEnrollmentId}` },
    );
    return result.events.length > 0 ? result : undefined;
  }
}
