import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { withErrata } from '@jalon/catalogue';
import { documentIssuability, NotFoundError, Referential } from '@jalon/domain';
import { ReferentialResolver } from '@jalon/runtime';
import { CatalogueService } from '../catalogue.service';
import { GetReferentialQuery, PublishedReferentialVersion } from './get-referential.query';

/**
 * One version as its file states it, once it is withdrawn from new enrollments when and why, and
 * whether its documents can be issued; a statement the catalogue's errata mark as assumed is under
 * `certification.assumed`, as if its file had put it there.
 */
@QueryHandler(GetReferentialQuery)
export class GetReferentialHandler implements IQueryHandler<GetReferentialQuery, PublishedReferentialVersion> {
  constructor(
    private readonly referentials: ReferentialResolver,
    private readonly catalogue: CatalogueService,
  ) {}

  async execute({ referentialId, version }: GetReferentialQuery): Promise<PublishedReferentialVersion> {
    let published: Referential;
    try {
      published = await this.referentials.resolve(referentialId, version);
    } catch {
      throw new NotFoundError('REFERENTIAL.NOT_FOUND', `no published référentiel ${referentialId}@${version}`);
    }
    const content = withErrata(published, this.catalogue.errata);
    const withdrawn = await this.referentials.withdrawal(referentialId, version);
    return { ...content, ...(withdrawn ? { withdrawn } : {}), documents: documentIssuability(content) };
  }
}
