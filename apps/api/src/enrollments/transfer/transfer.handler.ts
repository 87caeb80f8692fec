import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import {
  ActiveEnrollment,
  decideEnrollment,
  EnrollmentCommand,
  enrollmentIdOf,
  evolveEnrollment,
  initialEnrollmentState,
  transferInCommand,
  TransferredTo,
} from '@jalon/domain';
import { newId } from '@jalon/event-store';
import { ReferentialResolver, TransferCompletion } from '@jalon/runtime';
import { CommandOutcome, CreatedOutcome } from '../../shared/command-outcome';
import { actorOf } from '../enrollment-act';
import { EnrollmentCommands } from '../enrollment-commands.service';
import { TransferCommand } from './transfer.command';

/**
 * A transfer writes two streams one after the other: the source says it moved (TransferOut), then
 * the new enrollment is written (EnrollByTransfer). Both decisions are taken before either stream
 * is written, so a refused transfer changes nothing. The second half is TransferCompletion's, the
 * one writer of it: if the new enrollment could not be written, the source says transferred to an
 * enrollment that does not exist, and the same request completes it (or the worker's sweep does).
 */
@CommandHandler(TransferCommand)
export class TransferHandler implements ICommandHandler<TransferCommand, CreatedOutcome> {
  constructor(
    private readonly enrollments: EnrollmentCommands,
    private readonly referentials: ReferentialResolver,
    private readonly transfers: TransferCompletion,
  ) {}

  async execute(transfer: TransferCommand): Promise<CreatedOutcome> {
    const { enrollmentId, actor } = transfer;
    const source = await this.enrollments.load(enrollmentId, actor);
    // A retry of this very request (same Idempotency-Key) finds the transfer it recorded, under the
    // id it derives: it completes it, or answers it from the new stream if that was written too.
    const recorded = source.status === 'transferred' && sameTransfer(source.transferredTo, transfer) ? source.transferredTo : undefined;
    const unfinished = recorded && (recorded.enrollmentId === newId('transfer-target') || !(await this.enrollments.exists(recorded.enrollmentId)));
    if (!unfinished) {
      const transferOut: EnrollmentCommand = {
        type: 'TransferOut',
        data: {
          toEnrollmentId: newId('transfer-target'),
          toReferentialId: transfer.toReferentialId,
          toVersion: transfer.toVersion,
          carriedBlocs: transfer.carriedBlocs,
          optionBlocs: transfer.optionBlocs,
          by: actorOf(actor),
          now: new Date().toISOString(),
        },
      };
      const out = decideEnrollment(transferOut, source, { referential: await this.referentials.resolve(source.referentialId, source.version) });
      const transferred = out.reduce(evolveEnrollment, source) as ActiveEnrollment;
      // The new enrollment is decided here, before either stream is written: a version withdrawn from new
      // enrollments refuses the transfer with nothing written (the second half is not asked again).
      const withdrawn = await this.referentials.withdrawal(transfer.toReferentialId, transfer.toVersion);
      decideEnrollment(transferInCommand(enrollmentId, transferred), initialEnrollmentState(), {
        referential: await this.referentials.resolve(transfer.toReferentialId, transfer.toVersion),
        ...(withdrawn ? { withdrawnFromNewEnrollments: withdrawn } : {}),
      });
      await this.enrollments.run(enrollmentId, actor, () => transferOut);
    }
    const written = await this.transfers.complete(enrollmentId);
    // The source was just read as transferred (or made so): only a broken log answers nothing here.
    if (!written) throw new Error(`enrollment ${enrollmentId} is not transferred after its transfer`);
    return { id: enrollmentIdOf(written.streamId)!, ...CommandOutcome.of(written.streamId, written) };
  }
}

/** Whether a request asks for the transfer the source recorded: same version, same blocs carried. */
function sameTransfer(recorded: TransferredTo, asked: TransferCommand): boolean {
  const pairs = (blocs: readonly { fromBloc: string; toBloc: string }[]) =>
    blocs
      .map((c) => `${c.fromBloc}>${c.toBloc}`)
      .sort()
      .join(',');
  return recorded.referentialId === asked.toReferentialId && recorded.version === asked.toVersion && pairs(recorded.carriedBlocs) === pairs(asked.carriedBlocs);
}
