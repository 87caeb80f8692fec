import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, JsonWebKey, KeyObject } from 'crypto';
import { IssuerKey, IssuerKeyAlgorithm } from '../document-model';

/**
 * Issuer keys as Open Badges 3.0 §8.2 wants them: RSA keys signing RS256 (PKCS#1 v1.5, so that
 * signing the same credential twice gives the same bytes), each published as a JWK whose `kid` is
 * the URI it is served at, `<issuer id>/keys/<thumbprint>` (RFC 7638). The Ed25519 key of the first
 * documents (EdDSA, a bare hash as kid) is still read, so that it stays published and verifiable.
 */

/** New keys: 3072 bits, the size recommended for keys meant to verify beyond 2030 (documents live for decades). */
export const RSA_MODULUS_BITS = 3072;
/** Smaller RSA keys are refused, to sign and to verify. */
export const MIN_RSA_MODULUS_BITS = 2048;

/** A public key as the issuer publishes it: its public members only, with its `kid`, `alg` and `use`. */
export interface PublicJwk {
  readonly kty: 'RSA' | 'OKP' | 'EC';
  /** RSA: modulus and exponent, base64url. */
  readonly n?: string;
  readonly e?: string;
  /** OKP (the legacy Ed25519 key): curve and public key, base64url. */
  readonly crv?: 'Ed25519' | 'P-256';
  readonly x?: string;
  /** EC (the ES256 key, P-256): its y coordinate; x and crv above. */
  readonly y?: string;
  readonly kid: string;
  readonly alg: IssuerKeyAlgorithm;
  readonly use: 'sig';
}

/** A new RSA issuer key (RS256) of the issuer `issuerId`, its kid the URI of its JWK under the issuer. */
export function generateIssuerKey(issuerId: string, issuerName: string, modulusLength = RSA_MODULUS_BITS): IssuerKey {
  if (modulusLength < MIN_RSA_MODULUS_BITS) throw new RangeError(`an RSA issuer key has at least ${MIN_RSA_MODULUS_BITS} bits`);
  const { privateKey, publicKey } = keyPairOf(
    generateKeyPairSync('rsa', {
      modulusLength,
      publicExponent: 0x10001,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    }),
  );
  return issuerKey(privateKey, publicKey, issuerId, issuerName);
}

/**
 * A new key pair as key objects of their own, from the PEM its generation gave. Node 20
 * deadlocks when a generation job is collected while a key object it made is being read (the job's
 * destructor waits on the key's lock, which the read holds while it allocates; a test worker hung
 * in asymmetricKeyDetails): read back from PEM, no key object shares the job's lock.
 */
export function keyPairOf(generated: { readonly privateKey: string }): { privateKey: KeyObject; publicKey: KeyObject } {
  const privateKey = createPrivateKey(generated.privateKey);
  return { privateKey, publicKey: createPublicKey(privateKey) };
}

/**
 * The issuer key from its PKCS#8 PEM private key; the public key is derived from it. An RSA key
 * signs RS256 under a key URI; an Ed25519 key is the legacy one (EdDSA, its bare-hash kid), which
 * the service no longer signs with but still publishes.
 */
export function issuerKeyFromPem(privateKeyPem: string, issuerId: string, issuerName: string): IssuerKey {
  const privateKey = createPrivateKey(privateKeyPem);
  const publicKey = createPublicKey(privateKey);
  const alg = algorithmOf(publicKey);
  // A P-256 key (ES256) is only ever made by the key ring, never configured as a PEM.
  if (!alg || alg === 'ES256') {
    throw new RangeError(
      `the issuer key must be an RSA private key of at least ${MIN_RSA_MODULUS_BITS} bits (or the legacy Ed25519 key), not ${describeKey(publicKey)}`,
    );
  }
  return issuerKey(privateKey, publicKey, issuerId, issuerName);
}

/** The algorithm a public key verifies, or undefined for a key Jalon does not use (RSA under 2048 bits, EC on another curve than P-256, …). */
export function algorithmOf(publicKey: KeyObject): IssuerKeyAlgorithm | undefined {
  if (publicKey.asymmetricKeyType === 'ed25519') return 'EdDSA';
  if (publicKey.asymmetricKeyType === 'ec' && publicKey.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ES256';
  if (publicKey.asymmetricKeyType === 'rsa' && (publicKey.asymmetricKeyDetails?.modulusLength ?? 0) >= MIN_RSA_MODULUS_BITS) return 'RS256';
  return undefined;
}

/** The 32 bytes of an Ed25519 public key (the JWK `x`). */
export function rawPublicKey(publicKey: KeyObject): Buffer {
  const x = publicKey.export({ format: 'jwk' }).x;
  if (!x) throw new RangeError('not an Ed25519 public key');
  return Buffer.from(x, 'base64url');
}

/** The legacy Ed25519 key's kid: base64url of the SHA-256 of the raw public key, first 16 characters. */
export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256').update(rawPublicKey(publicKey)).digest('base64url').slice(0, 16);
}

/**
 * RFC 7638 JWK thumbprint: base64url of the SHA-256 of the key's required public members, in
 * lexicographic order, without whitespace. The same key always has the same thumbprint, whoever computes it.
 */
export function jwkThumbprint(key: KeyObject | JsonWebKey): string {
  const jwk = key instanceof KeyObject ? key.export({ format: 'jwk' }) : key;
  const members =
    jwk.kty === 'RSA'
      ? { e: jwk.e, kty: 'RSA', n: jwk.n }
      : jwk.kty === 'OKP'
        ? { crv: jwk.crv, kty: 'OKP', x: jwk.x }
        : jwk.kty === 'EC'
          ? { crv: jwk.crv, kty: 'EC', x: jwk.x, y: jwk.y }
          : undefined;
  if (!members || Object.values(members).some((value) => typeof value !== 'string')) throw new RangeError(`no thumbprint for a key of type ${jwk.kty}`);
  return createHash('sha256').update(JSON.stringify(members), 'utf8').digest('base64url');
}

/** Where an issuer's key is published, and so its `kid`: `<issuer id>/keys/<thumbprint>`. */
export const keyUri = (issuerId: string, thumbprint: string): string => `${issuerId}/keys/${thumbprint}`;

/** The public JWK of a key, with its kid: only the public members, whatever the key object holds. */
export function publicJwkOf(key: KeyObject, kid: string): PublicJwk {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  const alg = algorithmOf(publicKey);
  const jwk = publicKey.export({ format: 'jwk' });
  if (alg === 'RS256') return { kty: 'RSA', n: jwk.n!, e: jwk.e!, kid, alg, use: 'sig' };
  if (alg === 'EdDSA') return { kty: 'OKP', crv: 'Ed25519', x: jwk.x!, kid, alg, use: 'sig' };
  if (alg === 'ES256') return { kty: 'EC', crv: 'P-256', x: jwk.x!, y: jwk.y!, kid, alg, use: 'sig' };
  throw new RangeError(`not an issuer key: ${describeKey(publicKey)}`);
}

function issuerKey(privateKey: KeyObject, publicKey: KeyObject, issuerId: string, issuerName: string): IssuerKey {
  const alg = algorithmOf(publicKey)!;
  return {
    issuerId,
    issuerName,
    keyId: alg === 'EdDSA' ? keyIdOf(publicKey) : keyUri(issuerId, jwkThumbprint(publicKey)),
    alg,
    privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
  };
}

function describeKey(key: KeyObject): string {
  const bits = key.asymmetricKeyDetails?.modulusLength;
  return `${key.asymmetricKeyType ?? key.type}${bits ? ` (${bits} bits)` : ''}`;
}
