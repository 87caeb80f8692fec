import { Certification, CertificationKind } from '@jalon/domain';

/**
 * The certification a document is of, as its référentiel states it: each field only where the
 * référentiel states it (no level, no certifier, no code is filled in), the kind resolved
 * (`certificationKindOf`: absent in the first référentiels, a certification professionnelle).
 */
export type DocumentCertification = Certification & { readonly kind: CertificationKind };

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
  /** The enrollment and decision event the document comes from (for the credential's evidence). */
  readonly enrollmentId: string;
  readonly decisionEventId: string;
}

/** The Ed25519 key documents are signed with, and who the issuer is. */
export interface IssuerKey {
  readonly issuerId: string;
  readonly issuerName: string;
  readonly keyId: string;
  readonly privateKeyPem: string;
  readonly publicKeyPem: string;
}
