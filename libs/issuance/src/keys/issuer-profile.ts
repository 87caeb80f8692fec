import { AppConfig } from '@jalon/config';
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
