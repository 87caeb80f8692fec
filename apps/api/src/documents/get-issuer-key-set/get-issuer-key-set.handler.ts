import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { NotFoundError } from '@jalon/domain';
import { IssuerKeyRing, PublicJwk } from '@jalon/issuance';
import { GetIssuerKeySetQuery } from './get-issuer-key-set.query';

@QueryHandler(GetIssuerKeySetQuery)
export class GetIssuerKeySetHandler implements IQueryHandler<GetIssuerKeySetQuery, { keys: PublicJwk[] }> {
  constructor(private readonly issuerKeys: IssuerKeyRing) {}

  async execute({ issuer }: GetIssuerKeySetQuery): Promise<{ keys: PublicJwk[] }> {
    const keys = await this.issuerKeys.keys(issuer);
    if (keys.length === 0) throw new NotFoundError('ISSUER.NOT_FOUND', `no issuer "${issuer}"`);
    return { keys: keys.map((key) => key.jwk) };
  }
}
