import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblemResponses } from '../shared/api-responses';
import { AuthenticatedActor, CurrentActor, Public, Roles } from './auth.decorators';
import { DevSignInAnswer, DevSignInRequest, PERSON_ROLES, SignedInPerson, SignInMethods } from './auth.dto';
import { DevSignInCommand } from './dev-sign-in/dev-sign-in.command';
import { GetSignInMethodsQuery } from './get-sign-in-methods/get-sign-in-methods.query';

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
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get('sign-in')
  @Public()
  @ApiOperation({ summary: 'How a person signs in here: the identity provider (and what the console needs to reach it), the development sign-in, or neither' })
  @ApiOkResponse({ type: SignInMethods })
  @ApiProblemResponses({ status: 503, description: 'AUTH.PROVIDER_UNREACHABLE: the identity provider did not answer its discovery document' }, 429)
  signInMethods(): Promise<SignInMethods> {
    return this.queries.execute(new GetSignInMethodsQuery());
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
  signIn(@Body() body: DevSignInRequest): Promise<DevSignInAnswer> {
    return this.commands.execute(new DevSignInCommand(body));
  }
}
