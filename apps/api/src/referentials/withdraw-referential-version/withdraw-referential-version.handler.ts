import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { decideReferential } from '@jalon/domain';
import { StreamCommandHandlers } from '@jalon/runtime';
import { CommandOutcome } from '../../shared/command-outcome';
import { WithdrawReferentialVersionCommand } from './withdraw-referential-version.command';

@CommandHandler(WithdrawReferentialVersionCommand)
export class WithdrawReferentialVersionHandler implements ICommandHandler<WithdrawReferentialVersionCommand, CommandOutcome> {
  constructor(private readonly handlers: StreamCommandHandlers) {}

  async execute({ referentialId, version, reason, by }: WithdrawReferentialVersionCommand): Promise<CommandOutcome> {
    const result = await this.handlers.referentials.handle(referentialId, (state) =>
      decideReferential({ type: 'WithdrawReferentialVersion', data: { version, reason, by, now: new Date().toISOString() } }, state),
    );
    return CommandOutcome.of(result.streamId, result);
  }
}
