import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { NotFoundError, Referential } from '@jalon/domain';
import { ReferentialResolver } from '@jalon/runtime';
import { GetReferentialQuery, PublishedReferentialVersion } from './get-referential.query';

/** One version as its file states it, and, once it is withdrawn from new enrollments, when and why. */
@QueryHandler(GetReferentialQuery)
export class GetReferentialHandler implements IQueryHandler<GetReferentialQuery, PublishedReferentialVersion> {
  constructor(private readonly referentials: ReferentialResolver) {}

  async execute({ referentialId, version }: GetReferentialQuery): Promise<PublishedReferentialVersion> {
    let content: Referential;
    try {
      content = await this.referentials.resolve(referentialId, version);
    } catch {
      throw new NotFoundError('REFERENTIAL.NOT_FOUND', `no published référentiel ${referentialId}@${version}`);
    }
    const withdrawn = await this.referentials.withdrawal(referentialId, version);
    return withdrawn ? { ...content, withdrawn } : content;
  }
}
