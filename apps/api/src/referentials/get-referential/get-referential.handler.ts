import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { documentIssuability, NotFoundError, Referential } from '@jalon/domain';
import { ReferentialResolver } from '@jalon/runtime';
import { GetReferentialQuery, PublishedReferentialVersion } from './get-referential.query';

/** One version as its file states it, once it is withdrawn from new enrollments when and why, and whether its documents can be issued. */
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
    return { ...content, ...(withdrawn ? { withdrawn } : {}), documents: documentIssuability(content) };
  }
}
