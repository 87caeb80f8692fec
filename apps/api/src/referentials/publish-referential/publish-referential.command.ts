import { Command } from '@nestjs/cqrs';
import { Actor, Referential } from '@jalon/domain';
import { CommandOutcome } from '../../shared/command-outcome';

export class PublishReferentialCommand extends Command<CommandOutcome> {
  constructor(
    readonly content: Referential,
    readonly contentHash: string,
    readonly by: Actor,
  ) {
    super();
  }
}
