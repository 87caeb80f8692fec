import { Query } from '@nestjs/cqrs';
import { PublicJwk } from '@jalon/issuance';

/** One public key of the issuer, by its RFC 7638 thumbprint: what a credential's `kid` dereferences to. */
export class GetIssuerKeyQuery extends Query<PublicJwk> {
  constructor(
    readonly issuer: string,
    readonly thumbprint: string,
  ) {
    super();
  }
}
