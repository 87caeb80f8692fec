import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { IssuerKeyRing } from '@jalon/issuance';
import { JwkSetView } from '../documents.responses.dto';
import { GetServiceKeySetQuery } from './get-service-key-set.query';

@QueryHandler(GetServiceKeySetQuery)
export class GetServiceKeySetHandler implements IQueryHandler<GetServiceKeySetQuery, JwkSetView> {
  constructor(private readonly issuerKeys: IssuerKeyRing) {}

  async execute(): Promise<JwkSetView> {
    // Each configured issuer's first key is made on first use: every one of them is in the set.
    for (const slug of this.issuerKeys.slugs()) await this.issuerKeys.keys(slug);
    return { keys: (await this.issuerKeys.allKeys()).map((key) => key.jwk) };
  }
}
