import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { AccrochageDeclarations } from '@jalon/accrochage';
import { CertifierView } from '../accrochage.responses.dto';
import { ListCertifiersQuery } from './list-certifiers.query';

@QueryHandler(ListCertifiersQuery)
export class ListCertifiersHandler implements IQueryHandler<ListCertifiersQuery, CertifierView[]> {
  constructor(private readonly declarations: AccrochageDeclarations) {}

  async execute({ actor }: ListCertifiersQuery): Promise<CertifierView[]> {
    return this.declarations.certifiersOf(actor).map((c) => ({ id: c.id, certifications: c.certifications.map((d) => ({ ...d })) }));
  }
}
