import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { Role } from '@jalon/domain';

export const ROLES_KEY = 'jalon:roles';
export const PUBLIC_KEY = 'jalon:public';

/** The roles allowed on a route. Every route says who may call it, or that it is public. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** Open to anyone, without a token (health, OpenAPI, certificate verification). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** Who is calling, from the verified bearer token. */
export interface AuthenticatedActor {
  readonly id: string;
  readonly role: Role;
  readonly organisationId: string;
}

export const CurrentActor = createParamDecorator((_data: unknown, context: ExecutionContext): AuthenticatedActor => {
  return context.switchToHttp().getRequest<{ actor: AuthenticatedActor }>().actor;
});
