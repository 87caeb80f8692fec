import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject } from 'crypto';
import { IssuerKey } from '../document-model';

/** A new Ed25519 issuer key (for configuration, or a test). */
export function generateIssuerKey(issuerId: string, issuerName: string): IssuerKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return issuerKey(privateKey, publicKey, issuerId, issuerName);
}

/** The issuer key from its PKCS#8 PEM private key, as configuration holds it; the public key is derived from it. */
export function issuerKeyFromPem(privateKeyPem: string, issuerId: string, issuerName: string): IssuerKey {
  const privateKey = createPrivateKey(privateKeyPem);
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new RangeError(`the issuer key must be an Ed25519 private key, not ${privateKey.asymmetricKeyType ?? privateKey.type}`);
  }
  return issuerKey(privateKey, createPublicKey(privateKey), issuerId, issuerName);
}

/** The 32 bytes of an Ed25519 public key (the JWK `x`). */
export function rawPublicKey(publicKey: KeyObject): Buffer {
  const x = publicKey.export({ format: 'jwk' }).x;
  if (!x) throw new RangeError('not an Ed25519 public key');
  return Buffer.from(x, 'base64url');
}

/** base64url of the SHA-256 of the raw public key, first 16 characters: stable for a key, short enough for a `kid`. */
export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256').update(rawPublicKey(publicKey)).digest('base64url').slice(0, 16);
}

function issuerKey(privateKey: KeyObject, publicKey: KeyObject, issuerId: string, issuerName: string): IssuerKey {
  return {
    issuerId,
    issuerName,
    keyId: keyIdOf(publicKey),
    privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
  };
}
