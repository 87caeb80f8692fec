import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { AppConfig } from '@jalon/config';
import { APP_CONFIG } from '@jalon/runtime';
import { SignInMethods } from '../auth.dto';
import { IdentityProvider } from '../identity-provider';
import { GetSignInMethodsQuery } from './get-sign-in-methods.query';

@QueryHandler(GetSignInMethodsQuery)
export class GetSignInMethodsHandler implements IQueryHandler<GetSignInMethodsQuery, SignInMethods> {
  constructor(
    private readonly provider: IdentityProvider,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute(): Promise<SignInMethods> {
    const oidc = this.provider.configured;
    if (oidc) return { method: 'provider', provider: { clientId: oidc.clientId, scopes: oidc.scopes, ...(await this.provider.endpoints()) } };
    return { method: this.config.devSignIn ? 'development' : 'none' };
  }
}
