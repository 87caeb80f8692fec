import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CandidateCommand, decideCandidate } from '@jalon/domain';
import { newId } from '@jalon/event-store';
import { StreamCommandHandlers } from '@jalon/runtime';
import { CommandOutcome, CreatedOutcome } from '../../shared/command-outcome';
import { RegisterCandidateCommand } from './register-candidate.command';

@CommandHandler(RegisterCandidateCommand)
export class RegisterCandidateHandler implements ICommandHandler<RegisterCandidateCommand, CreatedOutcome> {
  constructor(private readonly handlers: StreamCommandHandlers) {}

  async execute(command: RegisterCandidateCommand): Promise<CreatedOutcome> {
    const { actor } = command;
    const candidateId = newId('candidate');
    const result = await this.handlers.candidates.handle(
      candidateId,
      (state) => decideCandidate(registrationOf(command, candidateId, new Date().toISOString()), state),
      { organisationId: actor.organisationId, known: command.asRead },
    );
    return { id: candidateId, ...CommandOutcome.of(result.streamId, result) };
  }
}

/** The domain's RegisterCandidate command of the act (a cohort import decides it too, before writing anything). */
export function registrationOf({ actor, identity }: Pick<RegisterCandidateCommand, 'actor' | 'identity'>, candidateId: string, now: string): CandidateCommand {
  return { type: 'RegisterCandidate', data: { candidateId, organisationId: actor.organisationId, identity, by: { id: actor.id, role: actor.role }, now } };
}
