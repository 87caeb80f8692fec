import { Controller, Get, Header, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { isIssuerSlug } from '@jalon/config';
import { Public } from '../auth/auth.decorators';
import { ApiProblemResponses } from '../shared/api-responses';
import { invalidRequest } from '../shared/invalid-request';
import { IssuerOpenBadgesProfileView, JwkSetView, PublicJwkView } from './documents.responses.dto';
import { GetIssuerKeySetQuery } from './get-issuer-key-set/get-issuer-key-set.query';
import { GetIssuerKeyQuery } from './get-issuer-key/get-issuer-key.query';
import { GetIssuerProfileQuery } from './get-issuer-profile/get-issuer-profile.query';

/** An RFC 7638 thumbprint: base64url of a SHA-256, 43 characters. */
const THUMBPRINT = /^[A-Za-z0-9_-]{43}$/;

/** A path parameter checked by a predicate: otherwise 400 naming it and why. */
const CheckedParam = (name: string, valid: (value: string) => boolean, reason: string): ParameterDecorator =>
  Param(name, {
    transform: (value: string) => {
      if (!valid(value)) throw invalidRequest([{ field: name, reasons: [reason] }]);
      return value;
    },
  });

const IssuerParam = () =>
  CheckedParam('issuer', isIssuerSlug, 'issuer must be an issuer slug: lower-case letters and digits, with single hyphens between them, at most 63 characters');
const THUMBPRINT_REASON = 'thumbprint must be an RFC 7638 JWK thumbprint: 43 base64url characters';

const ISSUER_NOT_FOUND = { status: 404, description: 'ISSUER.NOT_FOUND: this service issues as no such issuer and publishes no key of it' } as const;
const ISSUER_PARAM = { name: 'issuer', description: 'The issuer’s slug (ISSUER_SLUG)', example: 'jalon' };

/**
 * The issuers as Open Badges 3.0 verifiers dereference them: the profile a credential's `issuer.id`
 * names, the JWK its `kid` names, the issuer's JWK set (every key, current and retired). Public,
 * cacheable, and the same on every instance (the keys live in the database). Each is a query on
 * the bus (one folder each); the controller checks the path's parameters and says how long to cache.
 */
@ApiTags('documents')
@Controller('issuers')
export class IssuersController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':issuer')
  @Public()
  @Header('Cache-Control', 'public, max-age=300')
  @ApiOperation({ summary: 'The issuer’s Open Badges 3.0 Profile: what the credentials’ `issuer.id` (and `iss`) dereferences to' })
  @ApiParam(ISSUER_PARAM)
  @ApiOkResponse({ type: IssuerOpenBadgesProfileView })
  @ApiProblemResponses({ status: 400, description: 'REQUEST.INVALID: the issuer is not a slug' }, ISSUER_NOT_FOUND, 429)
  profile(@IssuerParam() issuer: string) {
    return this.queries.execute(new GetIssuerProfileQuery(issuer));
  }

  @Get(':issuer/jwks.json')
  @Public()
  @Header('Cache-Control', 'public, max-age=300')
  @ApiOperation({
    summary: 'The issuer’s public keys as a JWK set: the current one first, then every retired one, so that every credential it ever issued stays verifiable',
  })
  @ApiParam(ISSUER_PARAM)
  @ApiOkResponse({ type: JwkSetView })
  @ApiProblemResponses({ status: 400, description: 'REQUEST.INVALID: the issuer is not a slug' }, ISSUER_NOT_FOUND, 429)
  jwks(@IssuerParam() issuer: string) {
    return this.queries.execute(new GetIssuerKeySetQuery(issuer));
  }

  @Get(':issuer/keys/:thumbprint')
  @Public()
  @Header('Cache-Control', 'public, max-age=86400')
  @ApiOperation({ summary: 'One public key of the issuer (a JWK with its kid, alg and use): what a credential’s `kid` dereferences to' })
  @ApiParam(ISSUER_PARAM)
  @ApiParam({ name: 'thumbprint', description: 'The key’s RFC 7638 thumbprint (base64url SHA-256)' })
  @ApiOkResponse({ type: PublicJwkView })
  @ApiProblemResponses(
    { status: 400, description: 'REQUEST.INVALID: the issuer is not a slug, or the thumbprint not 43 base64url characters' },
    { status: 404, description: 'ISSUER_KEY.NOT_FOUND: the issuer has no such key' },
    429,
  )
  key(@IssuerParam() issuer: string, @CheckedParam('thumbprint', (value) => THUMBPRINT.test(value), THUMBPRINT_REASON) thumbprint: string) {
    return this.queries.execute(new GetIssuerKeyQuery(issuer, thumbprint));
  }
}
