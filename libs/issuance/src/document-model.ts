import { Certification, CertificationKind } from '@jalon/domain';
import { DocumentStatusEntry } from './status-list/status-list-credential';

/**
 * The certification a document is of, as its référentiel states it: each field only where the
 * référentiel states it (no level, no certifier, no code is filled in), the kind resolved
 * (`certificationKindOf`: absent in the first référentiels, a certification professionnelle).
 * What the file only assumes (`certification.assumed`, or an erratum of the catalogue) is not part
 * of it: a document never prints an assumption as a fact.
 */
export type DocumentCertification = Omit<Certification, 'assumed'> & {
  readonly kind: CertificationKind;
  /**
   * The certifier's trade name (nom commercial), printed after its legal name: only where a
   * certifier of CERTIFIERS issues the document, whose `certifier` is then its configured legal name.
   */
  readonly certifierTradeName?: string;
};

/**
 * A bloc as the document names it: by its title where the référentiel gives one; else by its code
 * and, where the document lists them, its competencies' titles (never by an invented title).
 */
export interface DocumentBloc {
  readonly code: string;
  readonly title?: string;
  /** Only for a bloc the référentiel gives no title. */
  readonly competencies?: readonly { readonly code: string; readonly title: string }[];
}

/**
 * Everything an attestation de réussite (one bloc) or a certificate (the full certification)
 * shows. Built from the decision event and the référentiel, never from the clock: rendering the
 * same decision twice gives the same bytes, so a job that runs twice stores the same document.
 */
export interface IssuedDocumentModel {
  readonly kind: 'attestation' | 'certificate';
  /** Unique, derived from the decision event: e.g. JAL-A-7K3Q9M2X4P (A attestation, C certificate). */
  readonly number: string;
  /** The public verification page for this number (also encoded in the QR code). */
  readonly verificationUrl: string;
  readonly certification: DocumentCertification;
  readonly referentialId: string;
  readonly version: string;
  /** The bloc an attestation is for. */
  readonly bloc?: DocumentBloc;
  /** The chosen option(s), printed on the certificate (accrochage libelleOption). */
  readonly options?: readonly { readonly code: string; readonly label: string }[];
  /** The blocs the certificate rests on. */
  readonly blocs?: readonly DocumentBloc[];
  readonly candidate: { readonly birthName: string; readonly usageName?: string; readonly firstNames: readonly string[]; readonly birthDate: string };
  readonly decision: { readonly date: string; readonly place?: string; readonly by: 'jury' | 'automatic-rule' | 'transfer' };
  /** Who signs for the certifier (R15), as the issuer is configured: printed under the decision. */
  readonly signatory?: Signatory;
  /** The enrollment and decision event the document comes from (for the credential's evidence). */
  readonly enrollmentId: string;
  readonly decisionEventId: string;
  /**
   * Where the document's revocation bit is published (W3C Bitstring Status List): its credential's
   * `credentialStatus`. Given once per document number at issue (StatusLists.allocate), so issuing
   * again gives the same bytes; absent on documents issued before status lists.
   */
  readonly statusListEntry?: DocumentStatusEntry;
}

/** The JWS algorithms of Jalon's credentials: RS256 signs them (Open Badges 3.0 §8.2); EdDSA is the legacy Ed25519 key's, verified only. */
/**
 * RS256 signs every stored credential; ES256 (ECDSA P-256) is offered at request time only (its
 * signatures are randomised, so it is never stored); EdDSA is the legacy key's, published only.
 */
export type IssuerKeyAlgorithm = 'RS256' | 'ES256' | 'EdDSA';
/** The algorithms an issuer has a live key for: each issuer has one of each. */
export type SigningAlgorithm = 'RS256' | 'ES256';

/** A key credentials are signed with, and who the issuer is. */
export interface IssuerKey {
  /** The issuer's id (`<PUBLIC_BASE_URL>/issuers/<slug>`): the credentials' `iss` and `issuer.id`. */
  readonly issuerId: string;
  readonly issuerName: string;
  /**
   * The credentials' `kid`: the URI the public key is served at, `<issuer id>/keys/<RFC 7638
   * thumbprint>`; for the legacy Ed25519 key, the bare 16-character hash it always had.
   */
  readonly keyId: string;
  /** RS256 for an RSA key (PKCS#1 v1.5: the same input always gives the same signature), ES256 for a P-256 key (offered, never stored), EdDSA for the legacy Ed25519 key. */
  readonly alg: IssuerKeyAlgorithm;
  readonly privateKeyPem: string;
  readonly publicKeyPem: string;
}

/** The certifier's responsible person (or someone they empowered) whose signature the documents carry. */
export interface Signatory {
  readonly name: string;
  /** Their capacity, as printed: « Directrice de la certification ». */
  readonly capacity: string;
  /** Their signature, a PNG or JPEG image. */
  readonly image?: Buffer;
}
