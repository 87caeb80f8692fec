import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { IllegalStateError, NotFoundError } from '@jalon/domain';
import { DocumentStorage, IssuerKeyRing, signJwt } from '@jalon/issuance';
import { DOCUMENT_STORAGE } from '@jalon/runtime';
import { DocumentReads } from '../document-reads.service';
import { GetDocumentCredentialQuery } from './get-document-credential.query';

@QueryHandler(GetDocumentCredentialQuery)
export class GetDocumentCredentialHandler implements IQueryHandler<GetDocumentCredentialQuery, { jwt: string; revoked: boolean }> {
  constructor(
    private readonly reads: DocumentReads,
    @Inject(DOCUMENT_STORAGE) private readonly documents: DocumentStorage,
    private readonly issuerKeys: IssuerKeyRing,
  ) {}

  async execute({ enrollmentId, number, actor, alg }: GetDocumentCredentialQuery): Promise<{ jwt: string; revoked: boolean }> {
    const { issued } = await this.reads.downloadable(enrollmentId, number, actor);
    const bytes = await this.documents.get(number, 'credential', issued.version);
    if (!bytes) throw new NotFoundError('DOCUMENT.NOT_STORED', 'the document is recorded but its file is missing');
    const stored = bytes.toString('utf8');
    return { jwt: alg === 'ES256' ? await this.es256(stored, number) : stored, revoked: Boolean(issued.revokedAt) };
  }

  /**
   * The stored credential's payload, byte for byte, signed now with its issuer's current P-256 key
   * (header `{ alg: 'ES256', typ: 'JWT', kid }`, the kid that key's URI). Only an RS256 credential of
   * an issuer this instance signs as has one: not the first, EdDSA ones.
   */
  private async es256(stored: string, number: string): Promise<string> {
    const [encodedHeader, encodedPayload] = stored.trim().split('.');
    const header = parseJson(encodedHeader);
    const payload = parseJson(encodedPayload);
    const slug = this.issuerKeys.slugs().find((candidate) => this.issuerKeys.issuerId(candidate) === payload?.['iss']);
    if (header?.['alg'] !== 'RS256' || !payload || !slug) {
      throw new IllegalStateError(
        'DOCUMENT.ES256_UNAVAILABLE',
        `document ${number} was issued before ES256 was offered, or by an issuer this service no longer signs as: download it as issued (without alg), or reissue it`,
        { field: 'alg' },
      );
    }
    return signJwt(payload, await this.issuerKeys.signingKey(slug, 'ES256'));
  }
}

function parseJson(part: string | undefined): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
