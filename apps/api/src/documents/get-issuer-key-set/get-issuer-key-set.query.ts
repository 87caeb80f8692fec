import { Query } from '@nestjs/cqrs';
import { PublicJwk } from '@jalon/issuance';

/** The issuer's public keys as a JWK set: the current one first, then every retired one, so that every credential it ever issued stays verifiable. */
export class GetIssuerKeySetQuery extends Query<{ keys: PublicJwk[] }> {
  constructor(readonly issuer: string) {
    super();
  }
}
