import { CanActivate, ExecutionContext, ForbiddenException, Injectable, Logger, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { Role, ROLES } from '@jalon/domain';
import { AuthenticatedActor, PUBLIC_KEY, ROLES_KEY } from './auth.decorators';

interface TokenClaims {
  sub?: unknown;
  role?: unknown;
  org?: unknown;
}

/**
 * Every request but the public ones carries a bearer JWT (HS256 only: `alg: none` and other
 * algorithms are refused) naming a subject, a role and an organisation. A route without a
 * `@Roles` or `@Public` declaration is refused: access is never open by omission.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly logger = new Logger(AuthGuard.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined>; actor?: AuthenticatedActor }>();
    const header = request.headers.authorization ?? '';
    const match = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/.exec(header);
    if (!match) throw new UnauthorizedException({ code: 'AUTH.TOKEN_REQUIRED', message: 'a bearer token is required' });
    let claims: TokenClaims;
    try {
      claims = await this.jwt.verifyAsync<TokenClaims & object>(match[1], { algorithms: ['HS256'] });
    } catch (error) {
      throw new UnauthorizedException({ code: 'AUTH.INVALID_TOKEN', message: `the token is not valid: ${(error as Error).message}` });
    }
    if (typeof claims.sub !== 'string' || typeof claims.org !== 'string' || !ROLES.includes(claims.role as Role) || claims.role === 'system') {
      throw new UnauthorizedException({ code: 'AUTH.INVALID_TOKEN', message: 'the token must name a subject (sub), a role and an organisation (org)' });
    }
    request.actor = { id: claims.sub, role: claims.role as Role, organisationId: claims.org };
    const allowed = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (!allowed) {
      this.logger.error(`route ${context.getClass().name}.${context.getHandler().name} declares no roles: refused`);
      throw new ForbiddenException({ code: 'AUTH.NO_RULE', message: 'this route declares no access rule' });
    }
    if (!allowed.includes(request.actor.role)) throw new ForbiddenException({ code: 'AUTH.ROLE_NOT_ALLOWED', message: `a ${request.actor.role} may not do this` });
    return true;
  }
}
