import { Controller, Get, Headers, Param, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { matchesIfNoneMatch, STATUS_LIST_RESIGN_AFTER_MS } from '@jalon/issuance';
import { Public } from '../auth/auth.decorators';
import { ApiProblemResponses } from '../shared/api-responses';
import { GetStatusListQuery } from './get-status-list/get-status-list.query';

/** How long a verifier (or a cache between) may keep a list before asking again, in seconds. */
export const STATUS_LIST_MAX_AGE_S = STATUS_LIST_RESIGN_AFTER_MS / 1000;

/**
 * The issuer's revocation status lists (W3C Bitstring Status List v1.0), each a
 * BitstringStatusListCredential signed as a VC-JWT: what a machine checking a credential's
 * `credentialStatus` fetches. Public, cacheable: an ETag per content, 304 to a matching If-None-Match.
 * The list is a query on the bus (get-status-list/); the controller answers it as HTTP caches expect.
 */
@ApiTags('documents')
@Controller()
export class StatusListController {
  constructor(private readonly queries: QueryBus) {}

  @Get('issuers/:issuer/status/:list')
  @Public()
  @ApiProduces('application/vc+jwt')
  @ApiOperation({
    summary: 'A revocation status list (W3C Bitstring Status List v1.0), as a BitstringStatusListCredential signed as a VC-JWT',
    description:
      'The list a credential’s `credentialStatus.statusListCredential` names: `credentialSubject.encodedList` is the multibase (`u`) base64url of the GZIP of 131,072 bits, the left-most bit of the first byte index 0; a bit set to 1 is a revoked document. Signed with the issuer’s current key (its `kid` in the header, the key at /.well-known/jwks.json). Answers an `ETag`; with a matching `If-None-Match`, 304 and no body.',
  })
  @ApiHeader({ name: 'If-None-Match', required: false, description: 'The ETag of the list last fetched: 304 while it has not changed' })
  @ApiOkResponse({
    description: 'The list, a compact JWS',
    content: { 'application/vc+jwt': { schema: { type: 'string' } } },
    headers: {
      ETag: { description: 'The entity tag of this list as signed', schema: { type: 'string' } },
      'Cache-Control': { description: `public, max-age=${STATUS_LIST_MAX_AGE_S}`, schema: { type: 'string' } },
    },
  })
  @ApiResponse({ status: 304, description: 'Not modified: the If-None-Match names the list as it stands' })
  @ApiProblemResponses({ status: 404, description: 'STATUS_LIST.NOT_FOUND: no such issuer, or no such list of it (not opened yet)' }, 429)
  async statusList(
    @Param('issuer') issuer: string,
    @Param('list') list: string,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res() response: FastifyReply,
  ) {
    const published = await this.queries.execute(new GetStatusListQuery(issuer, list));
    response.header('ETag', published.etag);
    response.header('Cache-Control', `public, max-age=${STATUS_LIST_MAX_AGE_S}`);
    if (matchesIfNoneMatch(ifNoneMatch, published.etag)) {
      response.status(304).send();
      return;
    }
    response.type('application/vc+jwt; charset=utf-8').send(published.jwt);
  }
}
