import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { NotFoundError } from '@jalon/domain';
import { IssuerKeyRing, PublicJwk } from '@jalon/issuance';
import { GetIssuerKeyQuery } from './get-issuer-key.query';

@QueryHandler(GetIssuerKeyQuery)
export class GetIssuerKeyHandler implements IQueryHandler<GetIssuerKeyQuery, PublicJwk> {
  constructor(private readonly issuerKeys: IssuerKeyRing) {}

  async execute({ issuer, thumbprint }: GetIssuerKeyQuery): Promise<PublicJwk> {
    const key = await this.issuerKeys.key(issuer, thumbprint);
    if (!key) throw new NotFoundError('ISSUER_KEY.NOT_FOUND', `issuer "${issuer}" has no key ${thumbprint}`);
    return key.jwk;
  }
}
