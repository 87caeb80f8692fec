import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { DocumentStorage, holderName, Issuance, IssuerKeyRing, StatusLists, verifyCredential } from '@jalon/issuance';
import { isWithheld, NotFoundError } from '@jalon/domain';
import { AppConfig } from '@jalon/config';
import { APP_CONFIG, DOCUMENT_STORAGE } from '@jalon/runtime';
import { describe, DocumentReads, sha256, Verification } from '../document-reads.service';
import { VerifyDocumentQuery } from './verify-document.query';

@QueryHandler(VerifyDocumentQuery)
export class VerifyDocumentHandler implements IQueryHandler<VerifyDocumentQuery, Verification> {
  constructor(
    private readonly reads: DocumentReads,
    private readonly issuance: Issuance,
    @Inject(DOCUMENT_STORAGE) private readonly documents: DocumentStorage,
    private readonly issuerKeys: IssuerKeyRing,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly statusLists: StatusLists,
  ) {}

  async execute({ number }: VerifyDocumentQuery): Promise<Verification> {
    const located = await this.reads.locate(number);
    if (!located) return { number, status: 'unknown' };
    const { state, events } = await this.reads.load(located.enrollmentId, () => new NotFoundError('DOCUMENT.NOT_FOUND', 'no such document'));
    const issued = state.documents[number];
    if (!issued) return { number, status: 'unknown' };
    const facts = await this.issuance.facts(located, state, events);
    const holder = await this.issuance.holder(state.candidateId);
    const reissued = issued.version && issued.reissuedAt ? { version: issued.version, reissuedAt: issued.reissuedAt } : {};
    const revocation = issued.revokedAt ? { revocation: { date: issued.revokedAt, reasonCategory: issued.revocationReason ?? 'unspecified' } } : {};
    // What a machine checking the credential offline reads: the bit of its entry in the published list.
    const entry = await this.statusLists.statusOf(number);
    const statusList = entry ? { statusList: { url: entry.listUrl, index: entry.index, revoked: entry.revoked } } : {};
    if (isWithheld(holder)) {
      return {
        number,
        status: issued.revokedAt ? 'revoked' : 'valid',
        kind: issued.kind,
        document: describe(facts, null),
        issuedAt: issued.issuedAt,
        ...reissued,
        ...revocation,
        holderErased: true,
        ...statusList,
      };
    }
    // The recorded version's files: a reissued document is checked against what replaced it.
    const [pdf, credential] = await Promise.all([this.documents.get(number, 'pdf', issued.version), this.documents.get(number, 'credential', issued.version)]);
    const checks = {
      pdfHash: pdf !== undefined && sha256(pdf) === issued.pdfSha256,
      credentialHash: credential !== undefined && sha256(credential) === issued.credentialSha256,
      credentialSignature: credential !== undefined && (await this.signatureVerifies(credential.toString('utf8'))),
    };
    const intact = checks.pdfHash && checks.credentialHash && checks.credentialSignature;
    return {
      number,
      status: !intact ? 'invalid' : issued.revokedAt ? 'revoked' : 'valid',
      kind: issued.kind,
      document: describe(facts, holderName(holder)),
      issuedAt: issued.issuedAt,
      ...reissued,
      ...revocation,
      checks,
      ...statusList,
    };
  }

  /**
   * Against the issuer's published key set, as any verifier would: the key the credential's `kid`
   * names, for the algorithm that key is published for (RS256; EdDSA for the legacy key).
   */
  private async signatureVerifies(jwt: string): Promise<boolean> {
    const keys = await this.issuerKeys.keys(this.config.issuerSlug);
    return verifyCredential(jwt, { keys: keys.map((key) => key.jwk) }).valid;
  }
}
