import { readFileSync } from 'node:fs';
import { AppConfig, ConfigError } from '@jalon/config';
import { Signatory } from '../document-model';
import { OB3_CONTEXT } from '../render/credential';

/** Who an issuer is, as configured: the slug its URLs and keys are under, and what its profile shows. */
export interface IssuerIdentity {
  /** Lower-case letters, digits and single hyphens (config's ISSUER_SLUG_PATTERN). */
  readonly slug: string;
  readonly name: string;
  readonly url?: string;
  readonly email?: string;
  /** The URL of its image (a logo). */
  readonly image?: string;
}

/** The issuer's Open Badges 3.0 Profile, as `GET /issuers/<slug>` answers it: its `id` is the credentials' `issuer.id` and `iss`. */
export interface IssuerProfile {
  readonly '@context': typeof OB3_CONTEXT;
  readonly id: string;
  readonly type: readonly ['Profile'];
  readonly name: string;
  readonly url?: string;
  readonly email?: string;
  readonly image?: { readonly id: string; readonly type: 'Image' };
}

/** `<PUBLIC_BASE_URL>/issuers/<slug>`: the issuer's id, which dereferences to its profile. */
export function issuerIdOf(publicBaseUrl: string, slug: string): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}/issuers/${encodeURIComponent(slug)}`;
}

export function issuerProfile(publicBaseUrl: string, issuer: IssuerIdentity): IssuerProfile {
  return {
    '@context': OB3_CONTEXT,
    id: issuerIdOf(publicBaseUrl, issuer.slug),
    type: ['Profile'],
    name: issuer.name,
    ...(issuer.url ? { url: issuer.url } : {}),
    ...(issuer.email ? { email: issuer.email } : {}),
    ...(issuer.image ? { image: { id: issuer.image, type: 'Image' as const } } : {}),
  };
}

/** The issuer this instance is configured to issue as (ISSUER_SLUG, ISSUER_NAME, ISSUER_URL, ISSUER_EMAIL, ISSUER_IMAGE). */
export function configuredIssuer(config: Pick<AppConfig, 'issuerSlug' | 'issuerName' | 'issuerUrl' | 'issuerEmail' | 'issuerImage'>): IssuerIdentity {
  return {
    slug: config.issuerSlug,
    name: config.issuerName,
    ...(config.issuerUrl ? { url: config.issuerUrl } : {}),
    ...(config.issuerEmail ? { email: config.issuerEmail } : {}),
    ...(config.issuerImage ? { image: config.issuerImage } : {}),
  };
}

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff]);

/**
 * The documents' signatory as configured, their signature image read once (ISSUER_SIGNATURE_IMAGE):
 * a missing or unreadable file, or one that is not a PNG or a JPEG, stops start-up in one line
 * rather than the first document.
 */
export function configuredSignatory(config: Pick<AppConfig, 'issuerSignatory'>): Signatory | undefined {
  const problems: string[] = [];
  const signatory = signatoryWithImage(config.issuerSignatory, 'ISSUER_SIGNATURE_IMAGE', problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return signatory;
}

function signatoryWithImage(signatory: AppConfig['issuerSignatory'], setting: string, problems: string[]): Signatory | undefined {
  if (!signatory) return undefined;
  if (!signatory.imageFile) return { name: signatory.name, capacity: signatory.capacity };
  let image: Buffer;
  try {
    image = readFileSync(signatory.imageFile);
  } catch (error) {
    problems.push(`${setting} ${signatory.imageFile} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    return undefined;
  }
  if (!image.subarray(0, PNG.length).equals(PNG) && !image.subarray(0, JPEG.length).equals(JPEG)) {
    problems.push(`${setting} ${signatory.imageFile} is neither a PNG nor a JPEG image`);
    return undefined;
  }
  return { name: signatory.name, capacity: signatory.capacity, image };
}

/**
 * Who issues a référentiel's documents: its identity (slug, name, profile), who signs for it, and,
 * for a configured certifier, the legal name (and trade name) its documents print as the certifier.
 */
export interface DocumentIssuer {
  readonly identity: IssuerIdentity;
  readonly signatory?: Signatory;
  /** A certifier of CERTIFIERS: printed as the certifier (R15); absent for the default issuer, whose documents print the référentiel's certifier. */
  readonly certifier?: { readonly legalName: string; readonly tradeName?: string };
}

/** Every issuer of this instance, and which one issues a référentiel's documents. */
export interface ConfiguredIssuers {
  /** The default issuer (ISSUER_*): the référentiels no certifier issues. */
  readonly default: DocumentIssuer;
  /** The default issuer first, then each certifier that issues as itself, in the order configured. */
  readonly all: readonly DocumentIssuer[];
  /** The certifier whose certifications include the référentiel, else the default issuer. */
  of(referentialId: string): DocumentIssuer;
}

/**
 * The issuers as configured: the default one (ISSUER_SLUG, ISSUER_NAME…, ISSUER_SIGNATORY_*) and
 * each certifier of CERTIFIERS that gives its legal name, with its signature image read now: every
 * unreadable or wrong image is named, at once, stopping start-up rather than the first document.
 */
export function configuredIssuers(
  config: Pick<AppConfig, 'issuerSlug' | 'issuerName' | 'issuerUrl' | 'issuerEmail' | 'issuerImage' | 'issuerSignatory' | 'certifiers'>,
): ConfiguredIssuers {
  const problems: string[] = [];
  const defaultSignatory = signatoryWithImage(config.issuerSignatory, 'ISSUER_SIGNATURE_IMAGE', problems);
  const fallback: DocumentIssuer = { identity: configuredIssuer(config), ...(defaultSignatory ? { signatory: defaultSignatory } : {}) };
  const byReferential = new Map<string, DocumentIssuer>();
  const certifiers: DocumentIssuer[] = [];
  for (const certifier of config.certifiers) {
    const issuer = certifier.issuer;
    if (!issuer) continue;
    const signatory = signatoryWithImage(issuer.signatory, `CERTIFIERS ("${certifier.id}").signatory.signatureImage`, problems);
    const documentIssuer: DocumentIssuer = {
      identity: {
        slug: certifier.id,
        name: issuer.legalName,
        ...(issuer.url ? { url: issuer.url } : {}),
        ...(issuer.email ? { email: issuer.email } : {}),
        ...(issuer.image ? { image: issuer.image } : {}),
      },
      ...(signatory ? { signatory } : {}),
      certifier: { legalName: issuer.legalName, ...(issuer.tradeName ? { tradeName: issuer.tradeName } : {}) },
    };
    certifiers.push(documentIssuer);
    for (const { referentialId } of certifier.certifications) if (!byReferential.has(referentialId)) byReferential.set(referentialId, documentIssuer);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return { default: fallback, all: [fallback, ...certifiers], of: (referentialId) => byReferential.get(referentialId) ?? fallback };
}
