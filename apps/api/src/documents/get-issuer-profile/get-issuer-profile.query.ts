import { Query } from '@nestjs/cqrs';
import { IssuerProfile } from '@jalon/issuance';

/** The issuer's Open Badges 3.0 Profile: what the credentials' `issuer.id` (and `iss`) dereferences to. */
export class GetIssuerProfileQuery extends Query<IssuerProfile> {
  constructor(readonly issuer: string) {
    super();
  }
}
