import { Body, Controller, ForbiddenException, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsString, Length, Matches } from 'class-validator';
import { AppConfig } from '@jalon/config';
import { ROLES } from '@jalon/domain';
import { APP_CONFIG } from '@jalon/runtime';
import { ApiProblemResponses } from '../shared/api-responses';
import { AuthenticatedActor, CurrentActor, Public, Roles } from './auth.decorators';
import { IdentityProvider } from './identity-provider';

const PERSON_ROLES = ROLES.filter((role) => role !== 'system');
const SESSION_SECONDS = 8 * 3600;

export class DevSignInRequest {
  @ApiProperty({ enum: PERSON_ROLES, example: 'admin' }) @IsIn(PERSON_ROLES) role!: (typeof PERSON_ROLES)[number];
  @ApiProperty({ example: 'org-1', minLength: 1, maxLength: 80 })
  @IsString()
  @Length(1, 80)
  @Matches(/^\S+$/, { message: 'organisationId has no spaces' })
  organisationId!: string;
  @ApiProperty({ example: 'admin-1', minLength: 1, maxLength: 120 })
  @IsString()
  @Length(1, 120)
  @Matches(/^\S+$/, { message: 'subject has no spaces' })
  subject!: string;
}

export class DevSignInAnswer {
  @ApiProperty({ description: 'A bearer token (HS256) for the api' }) accessToken!: string;
  @ApiProperty({ enum: ['Bearer'] }) tokenType!: 'Bearer';
  @ApiProperty({ type: 'integer', example: SESSION_SECONDS, description: 'Seconds until it expires' }) expiresIn!: number;
}

export class ProviderSignIn {
  @ApiProperty({ example: 'https://id.ecole.example/realms/jalon' }) issuer!: string;
  @ApiProperty({ example: 'jalon-console' }) clientId!: string;
  @ApiProperty({ example: 'openid profile', description: 'Scopes to ask for, space-separated' }) scopes!: string;
  @ApiProperty() authorizationEndpoint!: string;
  @ApiProperty() tokenEndpoint!: string;
  @ApiPropertyOptional({ description: 'Where a person signs out of the provider (RP-initiated logout), when it offers it' }) endSessionEndpoint?: string;
}

export class SignInMethods {
  @ApiProperty({
    enum: ['provider', 'development', 'none'],
    description: 'provider: OpenID Connect (authorization code with PKCE); development: POST /auth/dev-sign-in; none: tokens from `npm run cli -- token` only',
  })
  method!: 'provider' | 'development' | 'none';
  @ApiPropertyOptional({ type: ProviderSignIn }) provider?: ProviderSignIn;
}

export class SignedInPerson {
  @ApiProperty({ example: 'admin-1' }) subject!: string;
  @ApiProperty({ enum: PERSON_ROLES }) role!: (typeof PERSON_ROLES)[number];
  @ApiProperty({ example: 'org-1' }) organisationId!: string;
}

/**
 * How people sign in to the console. With an identity provider (OIDC_ISSUER), the console sends
 * them there (authorization code with PKCE) and uses its access tokens. Without one, in the
 * embedded mode, the development sign-in: a person picks a role, an organisation and an id, and
 * gets the token `npm run cli -- token` would print; it is refused where DEV_SIGN_IN is off (with
 * a provider, and always in production).
 */
@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly jwt: JwtService,
    private readonly provider: IdentityProvider,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('sign-in')
  @Public()
  @ApiOperation({ summary: 'How a person signs in here: the identity provider (and what the console needs to reach it), the development sign-in, or neither' })
  @ApiOkResponse({ type: SignInMethods })
  @ApiProblemResponses({ status: 503, description: 'AUTH.PROVIDER_UNREACHABLE: the identity provider did not answer its discovery document' }, 429)
  async signInMethods(): Promise<SignInMethods> {
    const oidc = this.provider.configured;
    if (oidc) return { method: 'provider', provider: { clientId: oidc.clientId, scopes: oidc.scopes, ...(await this.provider.endpoints()) } };
    return { method: this.config.devSignIn ? 'development' : 'none' };
  }

  @Get('me')
  @Roles(...PERSON_ROLES)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Who the bearer token says the caller is, as the api applies it (role and organisation read from the provider’s claims)' })
  @ApiOkResponse({ type: SignedInPerson })
  @ApiProblemResponses(401, { status: 403, description: 'AUTH.NO_ROLE: the provider’s token names no single Jalon role or organisation' }, 429, 503)
  me(@CurrentActor() actor: AuthenticatedActor): SignedInPerson {
    return { subject: actor.id, role: actor.role as SignedInPerson['role'], organisationId: actor.organisationId };
  }

  @Post('dev-sign-in')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Development sign-in: a token for the role, organisation and person chosen (refused unless DEV_SIGN_IN is on)' })
  @ApiOkResponse({ type: DevSignInAnswer })
  @ApiProblemResponses(
    400,
    { status: 403, description: 'AUTH.DEV_SIGN_IN_DISABLED: this service signs people in through its identity provider only' },
    413,
    415,
    429,
  )
  signIn(@Body() body: DevSignInRequest): DevSignInAnswer {
    if (!this.config.devSignIn)
      throw new ForbiddenException({
        code: 'AUTH.DEV_SIGN_IN_DISABLED',
        message: 'the development sign-in is off on this service: sign in through the identity provider',
      });
    const accessToken = this.jwt.sign({ role: body.role, org: body.organisationId }, { subject: body.subject, expiresIn: SESSION_SECONDS });
    return { accessToken, tokenType: 'Bearer', expiresIn: SESSION_SECONDS };
  }
}
