import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, Length, Matches } from 'class-validator';
import { ROLES } from '@jalon/domain';

export const PERSON_ROLES = ROLES.filter((role) => role !== 'system');
/** How long a development sign-in lasts. */
export const SESSION_SECONDS = 8 * 3600;

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
