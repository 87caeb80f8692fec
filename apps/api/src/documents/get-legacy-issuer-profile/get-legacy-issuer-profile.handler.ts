import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { AppConfig } from '@jalon/config';
import { IssuerKeyRing } from '@jalon/issuance';
import { APP_CONFIG } from '@jalon/runtime';
import { IssuerProfileView } from '../documents.responses.dto';
import { GetLegacyIssuerProfileQuery } from './get-legacy-issuer-profile.query';

@QueryHandler(GetLegacyIssuerProfileQuery)
export class GetLegacyIssuerProfileHandler implements IQueryHandler<GetLegacyIssuerProfileQuery, IssuerProfileView> {
  constructor(
    private readonly issuerKeys: IssuerKeyRing,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute(): Promise<IssuerProfileView> {
    const slug = this.config.issuerSlug;
    const keys = (await this.issuerKeys.keys(slug)).map((key) => key.jwk);
    // Those documents were signed with the Ed25519 key, where there is one: it is the key their verifiers read here.
    const publicKey = keys.find((jwk) => jwk.alg === 'EdDSA') ?? keys[0];
    return {
      id: `${this.config.publicBaseUrl}/issuer`,
      type: ['Profile'],
      name: this.config.issuerName,
      publicKey,
      keys,
      profile: this.issuerKeys.issuerId(slug),
    };
  }
}
