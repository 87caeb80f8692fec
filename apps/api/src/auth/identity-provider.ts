import { ForbiddenException, HttpException, HttpStatus, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { createRemoteJWKSet, errors, JWTPayload, jwtVerify } from 'jose';
import { AppConfig, OidcConfig } from '@jalon/config';
import { Role, ROLES } from '@jalon/domain';
import { APP_CONFIG } from '@jalon/runtime';
import { AuthenticatedActor } from './auth.decorators';

/** The algorithms a provider may sign access tokens with; anything else (`none`, HS*, PS*…) is refused. */
export const PROVIDER_ALGORITHMS = ['RS256', 'ES256'] as const;

const PERSON_ROLES: readonly Role[] = ROLES.filter((role) => role !== 'system');
/** How long the discovery document is trusted before it is read again (keys rotate through the JWKS, not here). */
const DISCOVERY_TTL_MS = 3600_000;
const FETCH_TIMEOUT_MS = 5000;

/** What the console needs to send a person to the provider and back (from the provider's discovery document). */
export interface ProviderEndpoints {
  readonly issuer: string;
  readonly authorizationEndpoint: string;
  readonly tokenEndpoint: string;
  readonly endSessionEndpoint?: string;
}

interface Discovered extends ProviderEndpoints {
  readonly keys: ReturnType<typeof createRemoteJWKSet>;
  readonly readAt: number;
}

/** The provider could not be reached (its discovery document or its keys): nothing is decided, try again. */
export class ProviderUnreachable extends HttpException {
  constructor(reason: string) {
    super({ code: 'AUTH.PROVIDER_UNREACHABLE', message: `the identity provider could not be reached: ${reason}` }, HttpStatus.SERVICE_UNAVAILABLE);
  }
}

/**
 * The school's OpenID Connect provider: its access tokens are accepted when signed by a key of its
 * JWKS (RS256 or ES256), issued by it, meant for this api (audience) and not expired. The person's
 * role and organisation come from the configured claims; what they may do is then exactly what the
 * api allows that role, as for its own tokens.
 */
@Injectable()
export class IdentityProvider {
  private discovered?: Promise<Discovered>;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  get configured(): OidcConfig | undefined {
    return this.config.oidc;
  }

  async endpoints(): Promise<ProviderEndpoints> {
    const { issuer, authorizationEndpoint, tokenEndpoint, endSessionEndpoint } = await this.discover();
    return { issuer, authorizationEndpoint, tokenEndpoint, endSessionEndpoint };
  }

  /** The caller a provider's access token names, or a 401 (bad token) / 403 (no Jalon role) / 503 (provider unreachable). */
  async actorOf(token: string): Promise<AuthenticatedActor> {
    const oidc = this.config.oidc;
    if (!oidc)
      throw new UnauthorizedException({
        code: 'AUTH.INVALID_TOKEN',
        message: 'the token is not valid: this service accepts no identity provider tokens (OIDC_ISSUER is not set)',
      });
    const { keys } = await this.discover();
    let claims: JWTPayload;
    try {
      ({ payload: claims } = await jwtVerify(token, keys, {
        issuer: oidc.issuer,
        audience: oidc.audience,
        algorithms: [...PROVIDER_ALGORITHMS],
        clockTolerance: 5,
      }));
    } catch (error) {
      if (error instanceof errors.JWKSTimeout || !(error instanceof errors.JOSEError)) throw new ProviderUnreachable((error as Error).message);
      throw new UnauthorizedException({ code: 'AUTH.INVALID_TOKEN', message: `the token is not valid: ${reasonOf(error)}` });
    }
    if (typeof claims.sub !== 'string' || claims.sub === '')
      throw new UnauthorizedException({ code: 'AUTH.INVALID_TOKEN', message: 'the token is not valid: it names no subject (sub)' });
    const roles = valuesAt(claims, oidc.roleClaim).filter((value): value is Role => PERSON_ROLES.includes(value as Role));
    if (roles.length !== 1) {
      throw new ForbiddenException({
        code: 'AUTH.NO_ROLE',
        message:
          roles.length === 0
            ? `the token names no Jalon role in its claim ${oidc.roleClaim} (one of ${PERSON_ROLES.join(', ')})`
            : `the token names several Jalon roles in its claim ${oidc.roleClaim} (${roles.join(', ')}): a person acts in one`,
      });
    }
    const organisations = valuesAt(claims, oidc.organisationClaim);
    if (organisations.length !== 1 || organisations[0] === '')
      throw new ForbiddenException({ code: 'AUTH.NO_ROLE', message: `the token names no single organisation in its claim ${oidc.organisationClaim}` });
    return { id: claims.sub, role: roles[0], organisationId: organisations[0] };
  }

  /** The discovery document, read once and again after an hour or after a failure (never a cached failure). */
  private discover(): Promise<Discovered> {
    const oidc = this.config.oidc;
    if (!oidc) return Promise.reject(new Error('no identity provider is configured'));
    const cached = this.discovered;
    if (cached) {
      return cached.then((found) => (Date.now() - found.readAt < DISCOVERY_TTL_MS ? found : this.rediscover(oidc)));
    }
    return this.rediscover(oidc);
  }

  private rediscover(oidc: OidcConfig): Promise<Discovered> {
    const reading = readDiscovery(oidc.issuer);
    this.discovered = reading;
    reading.catch(() => {
      if (this.discovered === reading) this.discovered = undefined;
    });
    return reading;
  }
}

async function readDiscovery(issuer: string): Promise<Discovered> {
  const address = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
  let document: Record<string, unknown>;
  try {
    const response = await fetch(address, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), headers: { accept: 'application/json' } });
    if (!response.ok) throw new Error(`${address} answered ${response.status}`);
    document = (await response.json()) as Record<string, unknown>;
  } catch (error) {
    throw new ProviderUnreachable((error as Error).message);
  }
  // The document must be the configured issuer's own (OpenID Connect Discovery §4.3).
  if (document.issuer !== issuer) throw new ProviderUnreachable(`its discovery document names the issuer ${String(document.issuer)}, not ${issuer}`);
  const text = (name: string) => (typeof document[name] === 'string' ? (document[name] as string) : undefined);
  const jwksUri = text('jwks_uri');
  const authorizationEndpoint = text('authorization_endpoint');
  const tokenEndpoint = text('token_endpoint');
  if (!jwksUri || !authorizationEndpoint || !tokenEndpoint)
    throw new ProviderUnreachable('its discovery document lacks jwks_uri, authorization_endpoint or token_endpoint');
  return {
    issuer,
    authorizationEndpoint,
    tokenEndpoint,
    endSessionEndpoint: text('end_session_endpoint'),
    // jose caches the keys and reads them again when a token names a key id it does not know (rotation).
    keys: createRemoteJWKSet(new URL(jwksUri), { timeoutDuration: FETCH_TIMEOUT_MS }),
    readAt: Date.now(),
  };
}

/** The string values at a dotted claim path: a claim may hold one string or a list (`realm_access.roles`); a full claim name containing dots wins. */
function valuesAt(claims: JWTPayload, path: string): string[] {
  let value: unknown =
    path in claims
      ? claims[path]
      : path.split('.').reduce<unknown>((node, part) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined), claims);
  if (typeof value === 'string') value = [value];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function reasonOf(error: errors.JOSEError): string {
  if (error instanceof errors.JWTExpired) return 'it has expired';
  if (error instanceof errors.JWTClaimValidationFailed)
    return `its ${error.claim} claim ${error.reason === 'missing' ? 'is missing' : 'is not the one this api expects'}`;
  if (error instanceof errors.JOSEAlgNotAllowed) return `it is signed with an algorithm this api does not accept (only ${PROVIDER_ALGORITHMS.join(', ')})`;
  if (error instanceof errors.JWKSNoMatchingKey) return 'no key of the identity provider signed it';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'its signature does not verify';
  return error.message;
}
