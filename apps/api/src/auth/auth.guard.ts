import { CanActivate, ExecutionContext, ForbiddenException, Injectable, Logger, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { Role, ROLES } from '@jalon/domain';
import { decodeProtectedHeader } from 'jose';
import { AuthenticatedActor, PUBLIC_KEY, ROLES_KEY } from './auth.decorators';
import { IdentityProvider, PROVIDER_ALGORITHMS } from './identity-provider';

interface TokenClaims {
  sub?: unknown;
  role?: unknown;
  org?: unknown;
}

/**
 * Every request but the public ones carries a bearer JWT naming a subject, a role and an
 * organisation: either the api's own (HS256, `npm run cli -- token`, the development sign-in) or,
 * when OIDC_ISSUER is set, the identity provider's access token (RS256/ES256, see
 * IdentityProvider). `alg: none` and every other algorithm are refused. A route without a
 * `@Roles` or `@Public` declaration is refused: access is never open by omission.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly logger = new Logger(AuthGuard.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtService,
    private readonly provider: IdentityProvider,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined>; actor?: AuthenticatedActor }>();
    const header = request.headers.authorization ?? '';
    const match = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/.exec(header);
    if (!match) throw new UnauthorizedException({ code: 'AUTH.TOKEN_REQUIRED', message: 'a bearer token is required' });
    request.actor = (PROVIDER_ALGORITHMS as readonly string[]).includes(algorithmOf(match[1]) ?? '')
      ? await this.provider.actorOf(match[1])
      : await this.ownTokenActor(match[1]);
    const allowed = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (!allowed) {
      this.logger.error(`route ${context.getClass().name}.${context.getHandler().name} declares no roles: refused`);
      throw new ForbiddenException({ code: 'AUTH.NO_RULE', message: 'this route declares no access rule' });
    }
    if (!allowed.includes(request.actor.role))
      throw new ForbiddenException({ code: 'AUTH.ROLE_NOT_ALLOWED', message: `a ${request.actor.role} may not do this` });
    return true;
  }

  private async ownTokenActor(token: string): Promise<AuthenticatedActor> {
    let claims: TokenClaims;
    try {
      claims = await this.jwt.verifyAsync<TokenClaims & object>(token, { algorithms: ['HS256'] });
    } catch (error) {
      throw new UnauthorizedException({ code: 'AUTH.INVALID_TOKEN', message: `the token is not valid: ${(error as Error).message}` });
    }
    if (typeof claims.sub !== 'string' || typeof claims.org !== 'string' || !ROLES.includes(claims.role as Role) || claims.role === 'system') {
      throw new UnauthorizedException({ code: 'AUTH.INVALID_TOKEN', message: 'the token must name a subject (sub), a role and an organisation (org)' });
    }
    return { id: claims.sub, role: claims.role as Role, organisationId: claims.org };
  }
}

function algorithmOf(token: string): string | undefined {
  try {
    return decodeProtectedHeader(token).alg;
  } catch {
    return undefined;
  }
}
