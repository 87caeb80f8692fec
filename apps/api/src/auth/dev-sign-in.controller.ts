import { Body, Controller, ForbiddenException, HttpCode, Inject, Post } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsIn, IsString, Length, Matches } from 'class-validator';
import { AppConfig } from '@jalon/config';
import { ROLES } from '@jalon/domain';
import { APP_CONFIG } from '@jalon/runtime';
import { ApiProblemResponses } from '../shared/api-responses';
import { Public } from './auth.decorators';

const PERSON_ROLES = ROLES.filter((role) => role !== 'system');
const SESSION_SECONDS = 8 * 3600;

export class DevSignInRequest {
  @ApiProperty({ enum: PERSON_ROLES, example: 'admin' }) @IsIn(PERSON_ROLES) role!: (typeof PERSON_ROLES)[number];
  @ApiProperty({ example: 'org-1', minLength: 1, maxLength: 80 }) @IsString() @Length(1, 80) @Matches(/^\S+$/, { message: 'organisationId has no spaces' }) organisationId!: string;
  @ApiProperty({ example: 'admin-1', minLength: 1, maxLength: 120 }) @IsString() @Length(1, 120) @Matches(/^\S+$/, { message: 'subject has no spaces' }) subject!: string;
}

export class DevSignInAnswer {
  @ApiProperty({ description: 'A bearer token (HS256) for the api' }) accessToken!: string;
  @ApiProperty({ enum: ['Bearer'] }) tokenType!: 'Bearer';
  @ApiProperty({ type: 'integer', example: SESSION_SECONDS, description: 'Seconds until it expires' }) expiresIn!: number;
}

/**
 * The development sign-in of the console: a person picks a role, an organisation and an id, and
 * gets the token `npm run cli -- token` would print. Only where DEV_SIGN_IN is on (by default the
 * embedded mode, never in production); everywhere else people sign in through the identity provider.
 */
@ApiTags('auth')
@Controller('auth')
export class DevSignInController {
  constructor(
    private readonly jwt: JwtService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post('dev-sign-in')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Development sign-in: a token for the role, organisation and person chosen (refused unless DEV_SIGN_IN is on)' })
  @ApiOkResponse({ type: DevSignInAnswer })
  @ApiProblemResponses(400, { status: 403, description: 'AUTH.DEV_SIGN_IN_DISABLED: this service signs people in through its identity provider only' }, 413, 415, 429)
  signIn(@Body() body: DevSignInRequest): DevSignInAnswer {
    if (!this.config.devSignIn) throw new ForbiddenException({ code: 'AUTH.DEV_SIGN_IN_DISABLED', message: 'the development sign-in is off on this service: sign in through the identity provider' });
    const accessToken = this.jwt.sign({ role: body.role, org: body.organisationId }, { subject: body.subject, expiresIn: SESSION_SECONDS });
    return { accessToken, tokenType: 'Bearer', expiresIn: SESSION_SECONDS };
  }
}
