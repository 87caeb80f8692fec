import { Body, Controller, Get, Header, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiExtraModels, ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { SigningAlgorithm } from '@jalon/issuance';
import { AuthenticatedActor, CurrentActor, Public, Roles } from '../auth/auth.decorators';
import { IssuedDocumentView, NotIssuedDocumentView } from '../paths/path-queries.responses.dto';
import { ApiCommandResponses, ApiProblemResponses, Problems } from '../shared/api-responses';
import { invalidRequest } from '../shared/invalid-request';
import { NoFieldsRequest } from '../shared/no-fields-request.dto';
import {
  DOWNLOAD_GONE,
  DOWNLOAD_HEADERS,
  DOWNLOAD_NOT_FOUND,
  DeliveryResendView,
  DocumentDeliveryView,
  IssuanceQueueView,
  IssuerProfileView,
  JwkSetView,
  VerificationView,
} from './documents.responses.dto';
import { GetDocumentCredentialQuery } from './get-document-credential/get-document-credential.query';
import { GetDocumentDeliveryQuery } from './get-document-delivery/get-document-delivery.query';
import { GetDocumentPdfQuery } from './get-document-pdf/get-document-pdf.query';
import { GetIssuanceQueueQuery } from './get-issuance-queue/get-issuance-queue.query';
import { GetLegacyIssuerProfileQuery } from './get-legacy-issuer-profile/get-legacy-issuer-profile.query';
import { GetServiceKeySetQuery } from './get-service-key-set/get-service-key-set.query';
import { ListDocumentsQuery } from './list-documents/list-documents.query';
import { ResendDocumentEmailCommand } from './resend-document-email/resend-document-email.command';
import { VerifyDocumentQuery } from './verify-document/verify-document.query';
import { verificationPage } from './verification-page';
import { UuidParam } from '../shared/uuid-param';

/**
 * Documents over HTTP: each question is a query on the bus (one folder each), `/issuer` and
 * `/.well-known/jwks.json` included: they answer as they did for the documents issued before the
 * issuers' own routes (IssuersController).
 */
@ApiTags('documents')
@ApiExtraModels(IssuedDocumentView, NotIssuedDocumentView)
@Controller()
export class DocumentsController {
  constructor(
    private readonly queries: QueryBus,
    private readonly commands: CommandBus,
  ) {}

  @Get('verifications/:number')
  @Public()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary:
      'Verify a document by its number: valid, revoked (date and reason category) or unknown; the stored files are checked against their recorded hashes and the credential’s signature',
    description:
      '`document.holder` is the holder’s name as the document prints it (prénoms then NOM DE NAISSANCE; the credential’s identity hash is of it), `document.holderUsageName` the nom d’usage printed under it. Once the holder’s personal data is erased: `holder` is null, `holderErased` true, no `checks` (the files are gone), and the status is still valid or revoked.',
  })
  @ApiOkResponse({ type: VerificationView })
  @ApiProblemResponses(429)
  verify(@Param('number') number: string) {
    return this.queries.execute(new VerifyDocumentQuery(number));
  }

  @Get('verify/:number')
  @Public()
  @Header('Cache-Control', 'no-store')
  @ApiProduces('text/html')
  @ApiOperation({ summary: 'The public verification page the QR code points to (French)' })
  @ApiOkResponse({ description: 'The page, for any number (an unknown one says so)', content: { 'text/html': { schema: { type: 'string' } } } })
  @ApiProblemResponses(429)
  async verifyPage(@Param('number') number: string, @Res() response: FastifyReply) {
    response.type('text/html; charset=utf-8').send(verificationPage(await this.queries.execute(new VerifyDocumentQuery(number))));
  }

  @Get('issuer')
  @Public()
  @ApiOperation({
    summary:
      'The issuer as the credentials issued before /issuers/{issuer} named it (their issuer id is this URL), with every key of the issuer; new credentials name /issuers/{issuer}',
  })
  @ApiOkResponse({ type: IssuerProfileView })
  @ApiProblemResponses(429)
  issuer() {
    return this.queries.execute(new GetLegacyIssuerProfileQuery());
  }

  @Get('.well-known/jwks.json')
  @Public()
  @ApiOperation({
    summary:
      'Every key of every issuer of this service as one JWK set, current and retired, the Ed25519 key of the documents issued before RS256 included: a credential names its key by `kid`',
  })
  @ApiOkResponse({ type: JwkSetView })
  @ApiProblemResponses(429)
  jwks() {
    return this.queries.execute(new GetServiceKeySetQuery());
  }

  @Get('enrollments/:enrollmentId/documents')
  @Roles('admin', 'candidate', 'auditor', 'jury')
  @ApiBearerAuth()
  @ApiOperation({
    summary:
      'The attestations and certificates issued on a path, with their status; once the holder’s personal data is erased, each decision whose document will never be issued, as status "not-issued", reason "holder-erased" (no number)',
  })
  @ApiOkResponse({
    schema: { type: 'array', items: { oneOf: [{ $ref: getSchemaPath(IssuedDocumentView) }, { $ref: getSchemaPath(NotIssuedDocumentView) }] } },
    description: 'Issued ones oldest first, then those not issued',
  })
  @ApiProblemResponses(
    Problems.invalidId,
    401,
    403,
    { status: 404, description: 'ENROLLMENT.NOT_FOUND, DOCUMENT.NOT_FOUND: no such enrollment, or not visible to the caller' },
    429,
  )
  list(@UuidParam('enrollmentId') id: string, @CurrentActor() actor: AuthenticatedActor) {
    return this.queries.execute(new ListDocumentsQuery(id, actor));
  }

  @Get('enrollments/:enrollmentId/documents/:number/pdf')
  @Roles('admin', 'candidate')
  @ApiBearerAuth()
  @ApiProduces('application/pdf')
  @ApiOperation({ summary: 'Download the PDF; a revoked document is delivered with its revocation printed on it' })
  @ApiOkResponse({ description: 'The PDF', content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } }, headers: DOWNLOAD_HEADERS })
  @ApiProblemResponses(Problems.invalidId, 401, 403, DOWNLOAD_NOT_FOUND, DOWNLOAD_GONE, 429)
  async pdf(@UuidParam('enrollmentId') id: string, @Param('number') number: string, @CurrentActor() actor: AuthenticatedActor, @Res() response: FastifyReply) {
    const { bytes, revoked } = await this.queries.execute(new GetDocumentPdfQuery(id, number, actor));
    response.type('application/pdf').header('Content-Disposition', `attachment; filename="${number}.pdf"`);
    response.header('Jalon-Document-Status', revoked ? 'revoked' : 'valid');
    response.send(bytes);
  }

  @Get('enrollments/:enrollmentId/documents/:number/credential')
  @Roles('admin', 'candidate')
  @ApiBearerAuth()
  @ApiProduces('application/vc+jwt')
  @ApiOperation({
    summary: 'Download the Open Badges 3.0 credential (VC-JWT, RS256; EdDSA for the documents issued before), or the same credential signed ES256',
    description:
      'Without `alg` (or `alg=RS256`): the credential as issued and stored, the bytes whose hash the document records. With `alg=ES256`: the same payload signed now with the issuer’s current P-256 key (header `alg` ES256, `kid` that key’s URI, published in the issuer’s JWKS); ECDSA signatures are randomised, so two downloads differ and none is stored.',
  })
  @ApiQuery({
    name: 'alg',
    required: false,
    enum: ['RS256', 'ES256'],
    description: 'The signature algorithm: RS256 (default) the stored credential, ES256 the same payload signed at request time',
  })
  @ApiOkResponse({ description: 'The credential, a compact JWS', content: { 'application/vc+jwt': { schema: { type: 'string' } } }, headers: DOWNLOAD_HEADERS })
  @ApiProblemResponses(
    Problems.invalidId,
    { status: 400, description: 'REQUEST.INVALID: `alg` is neither RS256 nor ES256 (`errors` names the field alg)' },
    401,
    403,
    DOWNLOAD_NOT_FOUND,
    { status: 409, description: 'DOCUMENT.ES256_UNAVAILABLE: asked as ES256, a credential issued before RS256 (EdDSA) or by an issuer no longer configured' },
    DOWNLOAD_GONE,
    429,
  )
  async credential(
    @UuidParam('enrollmentId') id: string,
    @Param('number') number: string,
    @Query('alg') alg: unknown,
    @CurrentActor() actor: AuthenticatedActor,
    @Res() response: FastifyReply,
  ) {
    const { jwt, revoked } = await this.queries.execute(new GetDocumentCredentialQuery(id, number, actor, signingAlgorithm(alg)));
    response.type('application/vc+jwt; charset=utf-8').header('Content-Disposition', `attachment; filename="${number}.vc.jwt"`);
    response.header('Jalon-Document-Status', revoked ? 'revoked' : 'valid');
    response.send(jwt);
  }

  @Get('admin/issuance')
  @Roles('admin', 'auditor')
  @ApiBearerAuth()
  @ApiOkResponse({
    type: IssuanceQueueView,
    description:
      'Job counts by state, the failed jobs with their error (they stay until dealt with), and the decisions not issued because their holder’s personal data was erased (`notIssued`, reason "holder-erased")',
  })
  @ApiProblemResponses(401, 403, 429)
  @ApiOperation({
    summary:
      'The issuance queue: counts, the failed jobs with their errors, the decisions whose document will never be issued — an admin sees those of their organisation’s enrollments, an auditor all',
  })
  async queueView(@CurrentActor() actor: AuthenticatedActor) {
    return this.queries.execute(new GetIssuanceQueueQuery(actor));
  }

  @Get('admin/delivery')
  @Roles('admin', 'auditor')
  @ApiBearerAuth()
  @ApiOkResponse({
    type: DocumentDeliveryView,
    description:
      'Whether delivery is on, job counts by state, what became of the organisation’s document events (`outcomes`), the failed jobs with their error and its kind, and the documents not e-mailed because their holder has no e-mail address (`undelivered`, reason "no-email": completing the address e-mails them)',
  })
  @ApiProblemResponses(401, 403, 429)
  @ApiOperation({
    summary:
      'The e-mail delivery of documents to their holders: counts, failures, and the holders without an e-mail address — an admin sees those of their organisation’s enrollments, an auditor all',
  })
  async deliveryView(@CurrentActor() actor: AuthenticatedActor) {
    return this.queries.execute(new GetDocumentDeliveryQuery(actor));
  }

  @Post('admin/delivery/unconfirmed/:eventId/resend')
  @HttpCode(200)
  @Roles('admin')
  @ApiBearerAuth()
  @ApiOkResponse({ type: DeliveryResendView, description: 'Taken back and queued: the e-mail goes again, under the same Message-ID' })
  @ApiCommandResponses(
    Problems.invalidId,
    { status: 404, description: 'DELIVERY.NOT_FOUND: no e-mail of that document event in the caller’s organisation' },
    {
      status: 409,
      description: 'DELIVERY.NOT_UNCONFIRMED: the e-mail is not unconfirmed (sent, or not sent for a reason of its own); DELIVERY.OFF: delivery is off',
    },
  )
  @ApiOperation({
    summary:
      'Send again an unconfirmed e-mail (handed to the mail server by a worker that died before its answer, so maybe received): an admin’s decision, once they checked with the holder',
  })
  @ApiBody({ type: NoFieldsRequest, required: false, description: 'No fields: the document event is in the path, the admin in the token' })
  async resendUnconfirmed(@UuidParam('eventId') eventId: string, @Body() _body: NoFieldsRequest, @CurrentActor() actor: AuthenticatedActor) {
    return this.commands.execute(new ResendDocumentEmailCommand(eventId, actor));
  }
}

/** The `alg` query parameter of a credential download: absent is RS256 (the stored credential). */
function signingAlgorithm(alg: unknown): SigningAlgorithm {
  if (alg === undefined || alg === 'RS256') return 'RS256';
  if (alg === 'ES256') return 'ES256';
  throw invalidRequest([{ field: 'alg', reasons: ['alg must be RS256 (the credential as issued, the default) or ES256'] }]);
}
