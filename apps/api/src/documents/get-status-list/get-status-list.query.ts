import { Query } from '@nestjs/cqrs';
import { PublishedStatusList } from '@jalon/issuance';

/**
 * One of the issuer's revocation status lists (W3C Bitstring Status List v1.0), signed as a VC-JWT
 * with its ETag; `list` is its number as the URL gives it (anything else than a number names no list).
 */
export class GetStatusListQuery extends Query<PublishedStatusList> {
  constructor(
    readonly issuer: string,
    readonly list: string,
  ) {
    super();
  }
}
