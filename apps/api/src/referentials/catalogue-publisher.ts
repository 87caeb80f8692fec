import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CatalogueService } from './catalogue.service';
import { PublishReferentialCommand } from './publish-referential/publish-referential.command';

/**
 * Publishes every shipped référentiel version into the log at start-up, so enrollments can pin
 * them. Publishing unchanged content is a no-op; a shipped file whose content changed under the
 * same version stops start-up (R1: a published version never changes).
 */
@Injectable()
export class CataloguePublisher implements OnApplicationBootstrap {
  private readonly logger = new Logger('Catalogue');

  constructor(
    private readonly catalogue: CatalogueService,
    private readonly commands: CommandBus,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    for (const entry of this.catalogue.entries) {
      const outcome = await this.commands.execute(new PublishReferentialCommand(entry.referential, entry.contentHash, { id: 'jalon', role: 'system' }));
      if (outcome.events.length > 0) this.logger.log(`published ${entry.referential.referential}@${entry.referential.version}`);
    }
  }
}
