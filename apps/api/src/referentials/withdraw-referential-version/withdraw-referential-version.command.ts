import { Command } from '@nestjs/cqrs';
import { Actor } from '@jalon/domain';
import { CommandOutcome } from '../../shared/command-outcome';

/** Withdraw a published version from new enrollments; the paths already pinned to it go on. */
export class WithdrawReferentialVersionCommand extends Command<CommandOutcome> {
  constructor(
    readonly referentialId: string,
    readonly version: string,
    readonly reason: string,
    readonly by: Actor,
  ) {
    super();
  }
}
