import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { withErrata } from '@jalon/catalogue';
import { decideReferential, documentIssuability } from '@jalon/domain';
import { StreamCommandHandlers } from '@jalon/runtime';
import { CommandOutcome } from '../../shared/command-outcome';
import { CatalogueService } from '../catalogue.service';
import { PublishReferentialOutcome } from '../referentials.responses.dto';
import { PublishReferentialCommand } from './publish-referential.command';

@CommandHandler(PublishReferentialCommand)
export class PublishReferentialHandler implements ICommandHandler<PublishReferentialCommand, PublishReferentialOutcome> {
  constructor(
    private readonly handlers: StreamCommandHandlers,
    private readonly catalogue: CatalogueService,
  ) {}

  async execute({ content, contentHash, by }: PublishReferentialCommand): Promise<PublishReferentialOutcome> {
    const result = await this.handlers.referentials.handle(content.referential, (state) =>
      decideReferential({ type: 'PublishReferentialVersion', data: { content, contentHash, by, now: new Date().toISOString() } }, state),
    );
    // Published either way (a version is the certifier's text); whether its documents can be issued is said now, not at the first award.
    // What its file (or an erratum of the catalogue) marks as assumed is no mention a document can carry.
    return { ...CommandOutcome.of(result.streamId, result), documents: documentIssuability(withErrata(content, this.catalogue.errata, contentHash)) };
  }
}
