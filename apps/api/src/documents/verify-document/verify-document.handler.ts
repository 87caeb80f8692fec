import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { DocumentStorage, holderName, Issuance, IssuerKeyRing, StatusLists, verifyCredential } from '@jalon/issuance';
import { isWithheld, NotFoundError } from '@jalon/domain';
import { AppConfig, isIssuerSlug } from '@jalon/config';
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
    if (isWithheld(holder)) {
      // The files are gone: the issuer is the one of the document's latest status list entry (else the default issuer).
      const entry = await this.statusLists.statusOf(number);
      const statusList = entry ? { statusList: { url: entry.listUrl, index: entry.index, revoked: entry.revoked } } : {};
      return {
        number,
        status: issued.revokedAt ? 'revoked' : 'valid',
        kind: issued.kind,
        document: describe(facts, null),
        issuedAt: issued.issuedAt,
        ...reissued,
        ...revocation,
        holderErased: true,
        ...this.issuer(entry?.issuer ?? this.config.issuerSlug),
        ...statusList,
      };
    }
    // The recorded version's files: a reissued document is checked against what replaced it.
    const [pdf, credential] = await Promise.all([this.documents.get(number, 'pdf', issued.version), this.documents.get(number, 'credential', issued.version)]);
    // The issuer the credential names (a certifier, or the default issuer): its keys, its status list.
    const signed = credential !== undefined ? claimsOf(credential.toString('utf8')) : undefined;
    const issuerSlug = issuerSlugOf(signed?.iss, this.config.publicBaseUrl) ?? this.config.issuerSlug;
    // What a machine checking the credential offline reads: the bit of its entry in the issuer's published list.
    const entry = await this.statusLists.statusOf(number, issuerSlug);
    const statusList = entry ? { statusList: { url: entry.listUrl, index: entry.index, revoked: entry.revoked } } : {};
    const checks = {
      pdfHash: pdf !== undefined && sha256(pdf) === issued.pdfSha256,
      credentialHash: credential !== undefined && sha256(credential) === issued.credentialSha256,
      credentialSignature: credential !== undefined && (await this.signatureVerifies(credential.toString('utf8'), issuerSlug)),
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
      ...this.issuer(issuerSlug, signed?.issuerName),
      ...statusList,
    };
  }

  /** The issuer as its profile names it (else as the credential did, for an issuer no longer configured). */
  private issuer(slug: string, signedName?: string): Pick<Verification, 'issuer'> {
    const name = this.issuerKeys.identity(slug)?.name ?? signedName;
    return { issuer: { id: this.issuerKeys.issuerId(slug), ...(name ? { name } : {}) } };
  }

  /**
   * Against the issuer's published key set, as any verifier would: the key the credential's `kid`
   * names, for the algorithm that key is published for (RS256; EdDSA for the legacy key).
   */
  private async signatureVerifies(jwt: string, issuerSlug: string): Promise<boolean> {
    const keys = await this.issuerKeys.keys(issuerSlug);
    return verifyCredential(jwt, { keys: keys.map((key) => key.jwk) }).valid;
  }
}

/** The claims a verification needs of a stored credential: its `iss`, its issuer's name; undefined when it cannot be read. */
function claimsOf(jwt: string): { iss?: string; issuerName?: string } | undefined {
  try {
    const payload = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as { iss?: unknown; issuer?: { name?: unknown } };
    return {
      ...(typeof payload.iss === 'string' ? { iss: payload.iss } : {}),
      ...(typeof payload.issuer?.name === 'string' ? { issuerName: payload.issuer.name } : {}),
    };
  } catch {
    return undefined;
  }
}

/** The slug of an issuer id `<PUBLIC_BASE_URL>/issuers/<slug>`; undefined for another (the first credentials' `<base>/issuer`: the default issuer). */
function issuerSlugOf(iss: string | undefined, publicBaseUrl: string): string | undefined {
  const prefix = `${publicBaseUrl.replace(/\/+$/, '')}/issuers/`;
  if (!iss?.startsWith(prefix)) return undefined;
  const slug = decodeURIComponent(iss.slice(prefix.length));
  return isIssuerSlug(slug) ? slug : undefined;
}
