import { Command } from '@nestjs/cqrs';
import { Actor, Referential } from '@jalon/domain';
import { PublishReferentialOutcome } from '../referentials.responses.dto';

export class PublishReferentialCommand extends Command<PublishReferentialOutcome> {
  constructor(
    readonly content: Referential,
    readonly contentHash: string,
    readonly by: Actor,
  ) {
    super();
  }
}
