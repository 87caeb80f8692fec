import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { NotFoundError, Referential } from '@jalon/domain';
import { ReferentialResolver } from '@jalon/runtime';
import { GetReferentialQuery } from './get-referential.query';

@QueryHandler(GetReferentialQuery)
export class GetReferentialHandler implements IQueryHandler<GetReferentialQuery, Referential> {
  constructor(private readonly referentials: ReferentialResolver) {}

  async execute({ referentialId, version }: GetReferentialQuery): Promise<Referential> {
    try {
      return await this.referentials.resolve(referentialId, version);
    } catch {
      throw new NotFoundError('REFERENTIAL.NOT_FOUND', `no published référentiel ${referentialId}@${version}`);
    }
  }
}
