import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { DocumentStorage, holderName, Issuance, IssuerKey, verifyCredential } from '@jalon/issuance';
import { isWithheld, NotFoundError } from '@jalon/domain';
import { DOCUMENT_STORAGE, ISSUER_KEY } from '@jalon/runtime';
import { describe, DocumentReads, sha256, Verification } from '../document-reads.service';
import { VerifyDocumentQuery } from './verify-document.query';

@QueryHandler(VerifyDocumentQuery)
export class VerifyDocumentHandler implements IQueryHandler<VerifyDocumentQuery, Verification> {
  constructor(
    private readonly reads: DocumentReads,
    private readonly issuance: Issuance,
    @Inject(DOCUMENT_STORAGE) private readonly documents: DocumentStorage,
    @Inject(ISSUER_KEY) private readonly key: IssuerKey,
  ) {}

  async execute({ number }: VerifyDocumentQuery): Promise<Verification> {
    const located = await this.reads.locate(number);
    if (!located) return { number, status: 'unknown' };
    const { state, events } = await this.reads.load(located.enrollmentId, () => new NotFoundError('DOCUMENT.NOT_FOUND', 'no such document'));
    const issued = state.documents[number];
    if (!issued) return { number, status: 'unknown' };
    const facts = await this.issuance.facts(located, state, events);
    const holder = await this.issuance.holder(state.candidateId);
    const revocation = issued.revokedAt ? { revocation: { date: issued.revokedAt, reasonCategory: issued.revocationReason ?? 'unspecified' } } : {};
    if (isWithheld(holder)) {
      return {
        number,
        status: issued.revokedAt ? 'revoked' : 'valid',
        kind: issued.kind,
        document: describe(facts, null),
        issuedAt: issued.issuedAt,
        ...revocation,
        holderErased: true,
      };
    }
    const [pdf, credential] = await Promise.all([this.documents.get(number, 'pdf'), this.documents.get(number, 'credential')]);
    const checks = {
      pdfHash: pdf !== undefined && sha256(pdf) === issued.pdfSha256,
      credentialHash: credential !== undefined && sha256(credential) === issued.credentialSha256,
      credentialSignature: credential !== undefined && verifyCredential(credential.toString('utf8'), this.key.publicKeyPem).valid,
    };
    const intact = checks.pdfHash && checks.credentialHash && checks.credentialSignature;
    return {
      number,
      status: !intact ? 'invalid' : issued.revokedAt ? 'revoked' : 'valid',
      kind: issued.kind,
      document: describe(facts, holderName(holder)),
      issuedAt: issued.issuedAt,
      ...revocation,
      checks,
    };
  }
}
