import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { decideCandidate } from '@jalon/domain';
import { StreamCommandHandlers } from '@jalon/runtime';
import { CommandOutcome } from '../../shared/command-outcome';
import { AmendCandidateIdentityCommand } from './amend-candidate-identity.command';

@CommandHandler(AmendCandidateIdentityCommand)
export class AmendCandidateIdentityHandler implements ICommandHandler<AmendCandidateIdentityCommand, CommandOutcome> {
  constructor(private readonly handlers: StreamCommandHandlers) {}

  async execute({ candidateId, changes, actor }: AmendCandidateIdentityCommand): Promise<CommandOutcome> {
    // Decided on the opened identity (the amendment merges into it), and sealed again on the way in.
    const result = await this.handlers.candidates.handle(
      candidateId,
      (state) =>
        decideCandidate(
          {
            type: 'AmendCandidateIdentity',
            data: { changes, organisationId: actor.organisationId, by: { id: actor.id, role: actor.role }, now: new Date().toISOString() },
          },
          state,
        ),
      { organisationId: actor.organisationId, open: true },
    );
    return CommandOutcome.of(result.streamId, result);
  }
}
