import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { registeredIn } from '@jalon/domain';
import { PersonalDataReadLog } from '@jalon/privacy';
import { StreamCommandHandlers } from '@jalon/runtime';
import { ListPersonalDataReadsQuery, PersonalDataReadEntry } from './list-personal-data-reads.query';

@QueryHandler(ListPersonalDataReadsQuery)
export class ListPersonalDataReadsHandler implements IQueryHandler<ListPersonalDataReadsQuery, PersonalDataReadEntry[]> {
  constructor(
    private readonly handlers: StreamCommandHandlers,
    private readonly reads: PersonalDataReadLog,
  ) {}

  async execute({ candidateId, actor }: ListPersonalDataReadsQuery): Promise<PersonalDataReadEntry[]> {
    // The DPO answers for their organisation's candidates; auditors read across organisations.
    // Membership is a clear fact: nothing is opened for it.
    if (actor.role !== 'auditor') registeredIn((await this.handlers.candidates.load(candidateId)).state, actor.organisationId);
    return this.reads.of(candidateId);
  }
}
