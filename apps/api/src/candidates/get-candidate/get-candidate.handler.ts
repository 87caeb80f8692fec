import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { isWithheld, NotFoundError, registeredIn } from '@jalon/domain';
import { PersonalDataReadLog } from '@jalon/privacy';
import { StreamCommandHandlers } from '@jalon/runtime';
import { CandidateAnswer, GetCandidateQuery } from './get-candidate.query';

@QueryHandler(GetCandidateQuery)
export class GetCandidateHandler implements IQueryHandler<GetCandidateQuery, CandidateAnswer> {
  constructor(
    private readonly handlers: StreamCommandHandlers,
    private readonly reads: PersonalDataReadLog,
  ) {}

  async execute({ candidateId, actor }: GetCandidateQuery): Promise<CandidateAnswer> {
    if (actor.role === 'candidate' && actor.id !== candidateId) throw new NotFoundError('CANDIDATE.NOT_FOUND', 'no such candidate');
    const candidate = registeredIn((await this.handlers.candidates.load(candidateId, { open: true })).state, actor.organisationId);
    // Recorded before it is answered: a read that cannot be recorded is not answered.
    if (!isWithheld(candidate.identity)) await this.reads.record({ actor, candidateId, view: 'identity', subjects: Object.keys(candidate.identity) });
    return {
      candidateId,
      organisationId: candidate.organisationId,
      identity: candidate.identity,
      ...(candidate.erasedAt ? { erasedAt: candidate.erasedAt } : {}),
    };
  }
}
