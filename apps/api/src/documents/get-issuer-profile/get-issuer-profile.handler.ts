import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { NotFoundError } from '@jalon/domain';
import { IssuerKeyRing, IssuerProfile } from '@jalon/issuance';
import { GetIssuerProfileQuery } from './get-issuer-profile.query';

@QueryHandler(GetIssuerProfileQuery)
export class GetIssuerProfileHandler implements IQueryHandler<GetIssuerProfileQuery, IssuerProfile> {
  constructor(private readonly issuerKeys: IssuerKeyRing) {}

  async execute({ issuer }: GetIssuerProfileQuery): Promise<IssuerProfile> {
    const profile = this.issuerKeys.profile(issuer);
    if (!profile) throw new NotFoundError('ISSUER.NOT_FOUND', `no issuer "${issuer}"`);
    return profile;
  }
}
