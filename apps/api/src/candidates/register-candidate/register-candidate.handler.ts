import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { decideCandidate } from '@jalon/domain';
import { newId } from '@jalon/event-store';
import { StreamCommandHandlers } from '@jalon/runtime';
import { CommandOutcome, CreatedOutcome } from '../../shared/command-outcome';
import { RegisterCandidateCommand } from './register-candidate.command';

@CommandHandler(RegisterCandidateCommand)
export class RegisterCandidateHandler implements ICommandHandler<RegisterCandidateCommand, CreatedOutcome> {
  constructor(private readonly handlers: StreamCommandHandlers) {}

  async execute({ actor, identity }: RegisterCandidateCommand): Promise<CreatedOutcome> {
    const candidateId = newId('candidate');
    const result = await this.handlers.candidates.handle(
      candidateId,
      (state) =>
        decideCandidate(
          {
            type: 'RegisterCandidate',
            data: { candidateId, organisationId: actor.organisationId, identity, by: { id: actor.id, role: actor.role }, now: new Date().toISOString() },
          },
          state,
        ),
      { organisationId: actor.organisationId },
    );
    return { id: candidateId, ...CommandOutcome.of(result.streamId, result) };
  }
}
