import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { decideReferential } from '@jalon/domain';
import { StreamCommandHandlers } from '@jalon/runtime';
import { CommandOutcome } from '../../shared/command-outcome';
import { PublishReferentialCommand } from './publish-referential.command';

@CommandHandler(PublishReferentialCommand)
export class PublishReferentialHandler implements ICommandHandler<PublishReferentialCommand, CommandOutcome> {
  constructor(private readonly handlers: StreamCommandHandlers) {}

  async execute({ content, contentHash, by }: PublishReferentialCommand): Promise<CommandOutcome> {
    const result = await this.handlers.referentials.handle(content.referential, (state) =>
      decideReferential({ type: 'PublishReferentialVersion', data: { content, contentHash, by, now: new Date().toISOString() } }, state),
    );
    return CommandOutcome.of(result.streamId, result);
  }
}
