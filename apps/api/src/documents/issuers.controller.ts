import { Controller, Get, Header, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { isIssuerSlug } from '@jalon/config';
import { NotFoundError } from '@jalon/domain';
import { IssuerKeyRing, IssuerProfile, PublicJwk } from '@jalon/issuance';
import { Public } from '../auth/auth.decorators';
import { ApiProblemResponses } from '../shared/api-responses';
import { invalidRequest } from '../shared/invalid-request';
import { IssuerOpenBadgesProfileView, JwkSetView, PublicJwkView } from './documents.responses.dto';

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
 * cacheable, and the same on every instance (the keys live in the database).
 */
@ApiTags('documents')
@Controller('issuers')
export class IssuersController {
  constructor(private readonly issuerKeys: IssuerKeyRing) {}

  @Get(':issuer')
  @Public()
  @Header('Cache-Control', 'public, max-age=300')
  @ApiOperation({ summary: 'The issuer’s Open Badges 3.0 Profile: what the credentials’ `issuer.id` (and `iss`) dereferences to' })
  @ApiParam(ISSUER_PARAM)
  @ApiOkResponse({ type: IssuerOpenBadgesProfileView })
  @ApiProblemResponses({ status: 400, description: 'REQUEST.INVALID: the issuer is not a slug' }, ISSUER_NOT_FOUND, 429)
  profile(@IssuerParam() issuer: string): IssuerProfile {
    const profile = this.issuerKeys.profile(issuer);
    if (!profile) throw new NotFoundError('ISSUER.NOT_FOUND', `no issuer "${issuer}"`);
    return profile;
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
  async jwks(@IssuerParam() issuer: string): Promise<{ keys: PublicJwk[] }> {
    const keys = await this.issuerKeys.keys(issuer);
    if (keys.length === 0) throw new NotFoundError('ISSUER.NOT_FOUND', `no issuer "${issuer}"`);
    return { keys: keys.map((key) => key.jwk) };
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
  async key(
    @IssuerParam() issuer: string,
    @CheckedParam('thumbprint', (value) => THUMBPRINT.test(value), THUMBPRINT_REASON) thumbprint: string,
  ): Promise<PublicJwk> {
    const key = await this.issuerKeys.key(issuer, thumbprint);
    if (!key) throw new NotFoundError('ISSUER_KEY.NOT_FOUND', `issuer "${issuer}" has no key ${thumbprint}`);
    return key.jwk;
  }
}
