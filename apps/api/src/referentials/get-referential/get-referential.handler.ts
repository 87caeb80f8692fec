import { NotFoundException } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { Referential } from '@jalon/domain';
import { CatalogueService } from '../catalogue.service';
import { GetReferentialQuery } from './get-referential.query';

@QueryHandler(GetReferentialQuery)
export class GetReferentialHandler implements IQueryHandler<GetReferentialQuery, Referential> {
  constructor(private readonly catalogue: CatalogueService) {}

  async execute({ referentialId, version }: GetReferentialQuery): Promise<Referential> {
    const entry = this.catalogue.find(referentialId, version);
    if (!entry) throw new NotFoundException({ code: 'REFERENTIAL.NOT_FOUND', message: `no référentiel ${referentialId}@${version} in the catalogue` });
    return entry.referential;
  }
}
