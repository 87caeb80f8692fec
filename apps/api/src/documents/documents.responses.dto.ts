import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CERTIFICATION_KINDS, REVOCATION_REASONS } from '@jalon/domain';
import { ProblemAnswer } from '../shared/api-responses';

/*
 * What DocumentsController answers in JSON (DocumentsService, the issuer key, the issuance queue).
 * The documents of a path are PathView's: IssuedDocumentView and NotIssuedDocumentView.
 */

// ---- Verification (GET /verifications/{number}) ----

export class VerifiedCompetencyView {
  @ApiProperty({ example: 'C1.1' }) code!: string;
  @ApiProperty() title!: string;
}

export class VerifiedBlocView {
  @ApiProperty({ example: 'BC01' }) code!: string;
  @ApiPropertyOptional({ description: 'Absent where the référentiel gives the bloc no title: it is then named by its code and its competencies' })
  title?: string;
  @ApiPropertyOptional({ type: [VerifiedCompetencyView], description: 'The competencies of a bloc without title' })
  competencies?: VerifiedCompetencyView[];
}

export class VerifiedOptionView {
  @ApiProperty({ example: 'BC04' }) code!: string;
  @ApiProperty() label!: string;
}

export class VerifiedRegistrationView {
  @ApiPropertyOptional({ example: '2024-01-31' }) decisionDate?: string;
  @ApiPropertyOptional({ example: '2029-01-31' }) endDate?: string;
  @ApiPropertyOptional() decisionReference?: string;
}

export class VerifiedDocumentView {
  @ApiProperty({
    enum: [...CERTIFICATION_KINDS],
    description: 'What the certification is, as its référentiel states (certification-professionnelle when it states none)',
  })
  certificationKind!: string;
  @ApiProperty() certificationTitle!: string;
  @ApiPropertyOptional({
    description: 'Where the référentiel names one; where a certifier of CERTIFIERS issues the document, its legal name as configured',
  })
  certifier?: string;
  @ApiPropertyOptional({ description: 'The certifier’s trade name (nom commercial), where the certifier issuing the document gives one' })
  certifierTradeName?: string;
  @ApiPropertyOptional({ type: 'integer', example: 7, description: 'National framework level, where the référentiel states one' }) level?: number;
  @ApiPropertyOptional({ type: 'integer', example: 7, description: 'European (CEC/EQF) level, where the référentiel states one' }) eqfLevel?: number;
  @ApiPropertyOptional({ example: 'RNCP12345' }) rncpCode?: string;
  @ApiPropertyOptional({ example: 'RS5678' }) rsCode?: string;
  @ApiPropertyOptional({ type: VerifiedRegistrationView, description: 'The registration decision, as far as the référentiel states it' })
  registration?: VerifiedRegistrationView;
  @ApiPropertyOptional({ type: [String], example: ['326n'] }) nsfCodes?: string[];
  @ApiProperty({ example: '1' }) version!: string;
  @ApiPropertyOptional({ type: VerifiedBlocView, description: 'An attestation’s bloc' }) bloc?: VerifiedBlocView;
  @ApiPropertyOptional({ type: [VerifiedOptionView], description: 'A certificate’s options' }) options?: VerifiedOptionView[];
  @ApiProperty({ type: 'string', nullable: true, description: 'The holder’s name as the document prints it; null once their personal data is erased' })
  holder!: string | null;
  @ApiPropertyOptional({ description: 'The nom d’usage printed under the name' }) holderUsageName?: string;
  @ApiProperty({ example: '2026-07-01' }) decisionDate!: string;
  @ApiPropertyOptional() decisionPlace?: string;
}

export class RevocationView {
  @ApiProperty() date!: string;
  @ApiProperty({ example: 'bloc-annulled', description: `${REVOCATION_REASONS.join(', ')}, or unspecified` }) reasonCategory!: string;
}

export class VerificationChecksView {
  @ApiProperty({ description: 'The stored PDF matches its recorded hash' }) pdfHash!: boolean;
  @ApiProperty({ description: 'The stored credential matches its recorded hash' }) credentialHash!: boolean;
  @ApiProperty({ description: 'The credential’s signature verifies with the issuer’s key' }) credentialSignature!: boolean;
}

export class VerificationStatusListView {
  @ApiProperty({
    description: 'The BitstringStatusListCredential the credential’s credentialStatus names',
    example: 'https://jalon.example.org/issuers/jalon/status/0',
  })
  url!: string;
  @ApiProperty({ type: 'integer', description: 'The document’s bit in the list (statusListIndex)' }) index!: number;
  @ApiProperty({ description: 'Whether the published list has the bit set: what a machine checking the credential offline reads' }) revoked!: boolean;
}

export class VerificationIssuerView {
  @ApiProperty({
    description: 'The issuer’s id, the credential’s `iss`: its Open Badges profile (its keys at `<id>/jwks.json`)',
    example: 'https://certificats.example.fr/issuers/ecole-data',
  })
  id!: string;
  @ApiPropertyOptional({ description: 'Its name: the certifier’s legal name, or the default issuer’s (ISSUER_NAME)' }) name?: string;
}

export class VerificationView {
  @ApiProperty({ example: 'JAL-A-0000000000A' }) number!: string;
  @ApiProperty({ enum: ['valid', 'revoked', 'invalid', 'unknown'], description: '"invalid": a stored file does not match what was recorded' }) status!: string;
  @ApiPropertyOptional({ enum: ['attestation', 'certificate'] }) kind?: string;
  @ApiPropertyOptional({ type: VerifiedDocumentView, description: 'What the document shows, and nothing more (R14); absent when unknown' })
  document?: VerifiedDocumentView;
  @ApiPropertyOptional({ format: 'date-time' }) issuedAt?: string;
  @ApiPropertyOptional({
    type: 'integer',
    example: 2,
    description: 'Once the document was reissued (same number, rendered again): the version whose files were checked; absent: the first',
  })
  version?: number;
  @ApiPropertyOptional({ format: 'date-time', description: 'When the version checked replaced the one before' }) reissuedAt?: string;
  @ApiPropertyOptional({ type: RevocationView }) revocation?: RevocationView;
  @ApiPropertyOptional({ type: VerificationChecksView, description: 'Absent once the holder’s personal data (and so the files) are erased' })
  checks?: VerificationChecksView;
  @ApiPropertyOptional({
    enum: [true],
    description: 'The holder’s personal data was erased: the decision and the document’s existence stand, its files and name are gone',
  })
  holderErased?: true;
  @ApiPropertyOptional({
    type: VerificationIssuerView,
    description: 'Who issued the document: the certifier of its référentiel where one issues as itself (CERTIFIERS), else the default issuer',
  })
  issuer?: VerificationIssuerView;
  @ApiPropertyOptional({
    type: VerificationStatusListView,
    description: 'What the published revocation status list (W3C Bitstring Status List) says of the document; absent for a document issued before status lists',
  })
  statusList?: VerificationStatusListView;
}

// ---- The issuers (GET /issuers/{issuer}, its keys; GET /issuer, GET /.well-known/jwks.json) ----

export class PublicJwkView {
  @ApiProperty({
    enum: ['RSA', 'EC', 'OKP'],
    description:
      'RSA (RS256, the stored credentials); EC (ES256, P-256: the credentials downloaded with `alg=ES256`); OKP for the Ed25519 key of the documents issued before RS256',
  })
  kty!: string;
  @ApiPropertyOptional({ description: 'RSA: the modulus, base64url' }) n?: string;
  @ApiPropertyOptional({ description: 'RSA: the public exponent, base64url', example: 'AQAB' }) e?: string;
  @ApiPropertyOptional({ enum: ['Ed25519', 'P-256'], description: 'OKP and EC: the curve' }) crv?: string;
  @ApiPropertyOptional({ description: 'OKP: the public key; EC: its x coordinate; base64url' }) x?: string;
  @ApiPropertyOptional({ description: 'EC: the y coordinate, base64url' }) y?: string;
  @ApiProperty({
    description:
      'Key id, as in the credentials’ header: the URI this JWK is served at (`<issuer id>/keys/<RFC 7638 thumbprint>`); a bare hash for the Ed25519 key of the documents issued before',
    example: 'https://certificats.example.fr/issuers/jalon/keys/NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs',
  })
  kid!: string;
  @ApiProperty({ enum: ['RS256', 'ES256', 'EdDSA'], description: 'The one algorithm this key verifies' }) alg!: string;
  @ApiProperty({ enum: ['sig'] }) use!: string;
}

export class JwkSetView {
  @ApiProperty({ type: [PublicJwkView], description: 'Every key, current and retired: a credential names its key by `kid`' }) keys!: PublicJwkView[];
}

export class IssuerImageView {
  @ApiProperty({ description: 'The image’s URL' }) id!: string;
  @ApiProperty({ enum: ['Image'] }) type!: string;
}

export class IssuerOpenBadgesProfileView {
  @ApiProperty({
    name: '@context',
    type: [String],
    example: ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
  })
  context!: string[];
  @ApiProperty({ description: 'The issuer’s id, the credentials’ `issuer.id` and `iss`: this URL', example: 'https://certificats.example.fr/issuers/jalon' })
  id!: string;
  @ApiProperty({ type: [String], example: ['Profile'] }) type!: string[];
  @ApiProperty({ example: 'Jalon' }) name!: string;
  @ApiPropertyOptional({ description: 'The issuer’s web site (ISSUER_URL)' }) url?: string;
  @ApiPropertyOptional({ description: 'The issuer’s e-mail address (ISSUER_EMAIL)' }) email?: string;
  @ApiPropertyOptional({ type: IssuerImageView, description: 'The issuer’s image (ISSUER_IMAGE)' }) image?: IssuerImageView;
}

export class IssuerProfileView {
  @ApiProperty({ description: 'The issuer’s id in the credentials issued before the issuer profiles at /issuers/{issuer}: this URL' }) id!: string;
  @ApiProperty({ type: [String], example: ['Profile'] }) type!: string[];
  @ApiProperty({ example: 'Jalon' }) name!: string;
  @ApiProperty({
    type: PublicJwkView,
    description:
      'The Ed25519 key of the documents issued before RS256, where there is one; else the current signing key. Kept for those documents: verify with `keys` (or /issuers/{issuer}/jwks.json), choosing the key by the credential’s `kid`',
  })
  publicKey!: PublicJwkView;
  @ApiProperty({ type: [PublicJwkView], description: 'Every key of the issuer, the current one first' }) keys!: PublicJwkView[];
  @ApiProperty({
    description: 'The issuer’s Open Badges profile, whose id the credentials issued now name',
    example: 'https://certificats.example.fr/issuers/jalon',
  })
  profile!: string;
}

// ---- The issuance queue (GET /admin/issuance) ----

export class IssuanceJobCountsView {
  @ApiProperty({ type: 'integer' }) waiting!: number;
  @ApiProperty({ type: 'integer' }) active!: number;
  @ApiProperty({ type: 'integer' }) delayed!: number;
  @ApiProperty({ type: 'integer' }) completed!: number;
  @ApiProperty({ type: 'integer' }) failed!: number;
}

export class IssuanceJobView {
  @ApiProperty({ format: 'uuid' }) enrollmentId!: string;
  @ApiPropertyOptional({ enum: ['attestation', 'certificate'], description: 'An issue job' }) kind?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'An issue job: the decision to issue for' }) decisionEventId?: string;
  @ApiPropertyOptional({ description: 'A revoke job: the document' }) number?: string;
  @ApiPropertyOptional({ enum: [...REVOCATION_REASONS], description: 'A revoke job' }) reasonCategory?: string;
}

export class IssuanceJobDataView {
  @ApiProperty({ enum: ['issue', 'revoke'] }) type!: string;
  @ApiProperty({ type: IssuanceJobView }) job!: IssuanceJobView;
}

export class FailedIssuanceJobView {
  @ApiProperty() id!: string;
  @ApiProperty({ type: IssuanceJobDataView }) data!: IssuanceJobDataView;
  @ApiProperty({ type: 'integer' }) attempts!: number;
  @ApiProperty({ description: 'Why it failed' }) error!: string;
  @ApiPropertyOptional({ format: 'date-time' }) failedAt?: string;
}

export class NotIssuedDecisionView {
  @ApiProperty({ format: 'uuid' }) enrollmentId!: string;
  @ApiProperty({ enum: ['attestation', 'certificate'] }) kind!: string;
  @ApiPropertyOptional() blocCode?: string;
  @ApiProperty({ format: 'uuid' }) decisionEventId!: string;
  @ApiProperty({ enum: ['not-issued'] }) status!: string;
  @ApiProperty({ enum: ['holder-erased'] }) reason!: string;
}

export class IssuanceQueueView {
  @ApiProperty({ type: IssuanceJobCountsView, description: 'Jobs by state' }) counts!: IssuanceJobCountsView;
  @ApiProperty({ type: [FailedIssuanceJobView], description: 'Failed for good; they stay until dealt with' }) failed!: FailedIssuanceJobView[];
  @ApiProperty({ type: [NotIssuedDecisionView], description: 'Decisions whose document will never be issued: their holder’s personal data was erased first' })
  notIssued!: NotIssuedDecisionView[];
}

// ---- The e-mail delivery of documents (GET /admin/delivery) ----

export class DeliveryJobView {
  @ApiProperty({
    format: 'uuid',
    description: 'The document event to tell its holder of; for an address job, the identity amendment that completed the address',
  })
  eventId!: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'A document event’s job: its enrollment' }) enrollmentId?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'An address job: the holder whose address was completed' }) candidateId?: string;
}

export class FailedDeliveryJobView {
  @ApiProperty() id!: string;
  @ApiProperty({ type: DeliveryJobView }) data!: DeliveryJobView;
  @ApiProperty({ type: 'integer' }) attempts!: number;
  @ApiProperty({ description: 'Why it failed (the mail server’s answer, say; never the holder’s address); the reconciler retries it every minute' })
  error!: string;
  @ApiProperty({
    enum: ['refused', 'rejected', 'unavailable', 'other'],
    description:
      '`refused`: the mail server refused the address itself (5.1.x: no such mailbox, say): not sent again until the holder’s identity changes; `rejected`: refused for good for another reason (relay, policy): retried every minute; `unavailable`: the server could not be reached, or asked to try later; `other`',
  })
  reason!: string;
  @ApiProperty({
    example: '550 5.1.1 <…@…>: Recipient address rejected: User unknown',
    description: 'What the mail server answered (or the network error), as it said it; the holder’s address stands as …@…',
  })
  detail!: string;
  @ApiPropertyOptional({ format: 'date-time' }) failedAt?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'The enrollment of the document event' }) enrollmentId?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'The holder' }) candidateId?: string;
  @ApiPropertyOptional({ example: 'JAL-A-7K3M9Q2X4B1', description: 'The document' }) number?: string;
  @ApiPropertyOptional({ enum: ['attestation', 'certificate'] }) kind?: string;
  @ApiPropertyOptional({ enum: ['DocumentIssued', 'DocumentRevoked', 'DocumentReissued'] }) eventType?: string;
}

/** A document event whose e-mail is listed for an admin: which event, of which document, whose. */
class DocumentEventView {
  @ApiProperty({ format: 'uuid', description: 'The document event' }) eventId!: string;
  @ApiProperty({ enum: ['DocumentIssued', 'DocumentRevoked', 'DocumentReissued'] }) eventType!: string;
  @ApiProperty({ format: 'uuid' }) enrollmentId!: string;
  @ApiProperty({ format: 'uuid' }) candidateId!: string;
  @ApiProperty({ example: 'JAL-A-7K3M9Q2X4B1' }) number!: string;
  @ApiProperty({ enum: ['attestation', 'certificate'] }) kind!: string;
}

/** Not e-mailed for want of an address: its document's latest event. */
export class UndeliveredDocumentView extends DocumentEventView {
  @ApiProperty({
    enum: ['no-email'],
    description: 'The holder has no e-mail address: complete their identity (POST /candidates/{id}/identity-amendments), and the document is e-mailed to them',
  })
  reason!: string;
  @ApiProperty({ format: 'date-time', description: 'When the delivery found no address' }) at!: string;
}

/** Handed over to the mail server by a worker that died before its answer. */
export class UnconfirmedDeliveryView extends DocumentEventView {
  @ApiProperty({
    format: 'date-time',
    description:
      'When the message was handed to the mail server (its data complete), by a worker that died before reading the answer: it may have reached its holder, or not; it is not sent again unless asked (POST /admin/delivery/unconfirmed/{eventId}/resend)',
  })
  handedOverAt!: string;
}

export class DeliveryResendView {
  @ApiProperty({ format: 'uuid', description: 'The document event whose e-mail is sent again, under the same Message-ID' }) eventId!: string;
  @ApiProperty({ format: 'uuid' }) enrollmentId!: string;
}

export class DeliveryOutcomeCountsView {
  @ApiProperty({ type: 'integer', description: 'Document events e-mailed to their holder' }) sent!: number;
  @ApiProperty({ type: 'integer', description: 'Of no address at first, e-mailed once it was completed' }) sentLate!: number;
  @ApiProperty({ type: 'integer', description: 'Address completed: on their way (their job not failed)' }) sendingLate!: number;
  @ApiProperty({ type: 'integer', description: 'Not e-mailed yet: queued or retried (the failed jobs are in `failed`)' }) pending!: number;
  @ApiProperty({ type: 'integer', description: 'Not e-mailed for want of an address (listed in `undelivered`)' }) noEmail!: number;
  @ApiProperty({ type: 'integer', description: 'Not e-mailed: the holder’s personal data is erased' }) holderErased!: number;
  @ApiProperty({ type: 'integer', description: 'Not e-mailed: delivery was off' }) deliveryOff!: number;
  @ApiProperty({ type: 'integer', description: 'Not e-mailed: a later event of the same document was, in its place' }) superseded!: number;
  @ApiProperty({ type: 'integer', description: 'Handed to the mail server by a worker that died before its answer: maybe received (listed in `unconfirmed`)' })
  unconfirmed!: number;
}

export class DocumentDeliveryView {
  @ApiProperty({ description: 'Whether documents are e-mailed to their holders (SMTP_URL is set)' }) enabled!: boolean;
  @ApiPropertyOptional({ example: 'École Data <certificats@ecole-data.fr>', description: 'Who the e-mails come from (a certifier’s own sender aside)' })
  sender?: string;
  @ApiProperty({ type: IssuanceJobCountsView, description: 'Delivery jobs by state (the service’s, every organisation’s)' }) counts!: IssuanceJobCountsView;
  @ApiProperty({ type: DeliveryOutcomeCountsView, description: 'What became of the document events of the caller’s organisation (an auditor: all)' })
  outcomes!: DeliveryOutcomeCountsView;
  @ApiProperty({
    type: [FailedDeliveryJobView],
    description: 'Failed after every attempt (the mail server down), or refused by the mail server at once: retried by the reconciler',
  })
  failed!: FailedDeliveryJobView[];
  @ApiProperty({ type: [UndeliveredDocumentView], description: 'Documents not e-mailed because their holder has no e-mail address' })
  undelivered!: UndeliveredDocumentView[];
  @ApiProperty({
    type: [UnconfirmedDeliveryView],
    description: 'E-mails that may or may not have reached their holder (their worker died mid-send): never sent twice unasked; an admin may send one again',
  })
  unconfirmed!: UnconfirmedDeliveryView[];
}

// ---- Downloads (the PDF, the credential) ----

/** A download's answer headers: the file name, and whether the document still stands. */
export const DOWNLOAD_HEADERS = {
  'Content-Disposition': { description: 'attachment, with the file named after the document number', schema: { type: 'string' } },
  'Jalon-Document-Status': { description: 'Whether the document stands', schema: { type: 'string', enum: ['valid', 'revoked'] } },
};
export const DOWNLOAD_NOT_FOUND = {
  status: 404,
  description:
    'ENROLLMENT.NOT_FOUND, DOCUMENT.NOT_FOUND: no such document on an enrollment visible to the caller; DOCUMENT.NOT_STORED: recorded, but its file is missing',
} satisfies ProblemAnswer;
export const DOWNLOAD_GONE = {
  status: 410,
  description: 'DOCUMENT.ERASED: the document’s files were deleted with its holder’s personal data',
} satisfies ProblemAnswer;
