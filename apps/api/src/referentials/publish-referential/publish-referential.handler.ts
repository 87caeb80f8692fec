import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { decideReferential, evolveReferential, initialReferentialState, ReferentialEvent, referentialStreamId } from '@jalon/domain';
import { EventStore, handleCommand } from '@jalon/event-store';
import { ProjectionRunner } from '@jalon/projections';
import { EVENT_STORE } from '@jalon/runtime';
import { CommandOutcome } from '../../shared/command-outcome';
import { PublishReferentialCommand } from './publish-referential.command';

@CommandHandler(PublishReferentialCommand)
export class PublishReferentialHandler implements ICommandHandler<PublishReferentialCommand, CommandOutcome> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly projections: ProjectionRunner,
  ) {}

  async execute({ content, contentHash, by }: PublishReferentialCommand): Promise<CommandOutcome> {
    const streamId = referentialStreamId(content.referential);
    const result = await handleCommand(this.store, {
      streamId,
      initial: initialReferentialState,
      evolve: evolveReferential,
      decide: (state) => decideReferential({ type: 'PublishReferentialVersion', data: { content, contentHash, by, now: new Date().toISOString() } }, state),
      metadata: (event: ReferentialEvent) => ({ actor: event.data.by, occurredAt: event.data.at }),
    });
    if (result.position) this.projections.wake();
    return CommandOutcome.of(streamId, result);
  }
}
