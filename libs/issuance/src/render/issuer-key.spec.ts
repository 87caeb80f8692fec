import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync } from 'crypto';
import { calculateJwkThumbprint } from 'jose';
import { generateIssuerKey, issuerKeyFromPem, jwkThumbprint, keyUri, publicJwkOf } from './issuer-key';

const ISSUER = 'https://jalon.example.fr/issuers/jalon';

describe('issuer keys', () => {
  const key = generateIssuerKey(ISSUER, 'Jalon');

  it('generates an RSA key of 3072 bits signing RS256, whose kid is the URI of its JWK under the issuer', async () => {
    expect(key).toMatchObject({ issuerId: ISSUER, issuerName: 'Jalon', alg: 'RS256' });
    expect(key.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(key.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    const publicKey = createPublicKey(key.publicKeyPem);
    expect(publicKey.asymmetricKeyType).toBe('rsa');
    expect(publicKey.asymmetricKeyDetails?.modulusLength).toBe(3072);
    expect(key.keyId).toBe(`${ISSUER}/keys/${await calculateJwkThumbprint(publicKey.export({ format: 'jwk' }) as never, 'sha256')}`);
    expect(() => generateIssuerKey(ISSUER, 'Jalon', 1024)).toThrow(/at least 2048 bits/);
  });

  it('computes the RFC 7638 thumbprint as jose does, from a key or its JWK, the same for the public and the private half', async () => {
    const jwk = createPublicKey(key.publicKeyPem).export({ format: 'jwk' });
    const expected = await calculateJwkThumbprint(jwk as never, 'sha256');
    expect(jwkThumbprint(createPublicKey(key.publicKeyPem))).toBe(expected);
    expect(jwkThumbprint({ ...jwk, kid: 'ignored', alg: 'RS256' } as never)).toBe(expected);
    expect(expected).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const ed25519 = createPublicKey(
      generateKeyPairSync('ed25519', { privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } }).publicKey,
    );
    expect(jwkThumbprint(ed25519)).toBe(await calculateJwkThumbprint(ed25519.export({ format: 'jwk' }) as never, 'sha256'));
    expect(keyUri(ISSUER, expected)).toBe(`${ISSUER}/keys/${expected}`);
  });

  it('derives the same public key and id from the private key', () => {
    const fromPem = issuerKeyFromPem(key.privateKeyPem, key.issuerId, key.issuerName);
    expect(fromPem).toEqual(key);
    expect(issuerKeyFromPem(key.privateKeyPem.replace(/\n/g, '\r\n'), ISSUER, 'y').keyId).toBe(key.keyId);
  });

  it('reads the legacy Ed25519 key as EdDSA, under the bare-hash kid its documents carry', () => {
    const pem = generateKeyPairSync('ed25519', {
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    }).privateKey;
    const legacy = issuerKeyFromPem(pem, 'https://jalon.example.fr/issuer', 'Jalon');
    const spki = createPublicKey(legacy.publicKeyPem).export({ format: 'der', type: 'spki' });
    expect(legacy.alg).toBe('EdDSA');
    expect(legacy.keyId).toBe(
      createHash('sha256')
        .update(spki.subarray(spki.length - 32))
        .digest('base64url')
        .slice(0, 16),
    );
  });

  it('publishes the public members only', () => {
    const jwk = publicJwkOf(createPublicKey(key.publicKeyPem), 'kid-1');
    expect(Object.keys(jwk).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use']);
    // Even from the private key object.
    expect(publicJwkOf(createPrivateKey(key.privateKeyPem), 'kid-1')).toEqual(jwk);
  });

  it('refuses keys Jalon does not sign with: EC, RSA under 2048 bits, garbage', () => {
    const { privateKey } = generateKeyPairSync('ec', {
      namedCurve: 'P-256',
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    expect(() => issuerKeyFromPem(privateKey, 'x', 'y')).toThrow(/RSA private key of at least 2048 bits/);
    const small = generateKeyPairSync('rsa', {
      modulusLength: 1024,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    }).privateKey;
    expect(() => issuerKeyFromPem(small, 'x', 'y')).toThrow(/not rsa \(1024 bits\)/);
    expect(() => issuerKeyFromPem('not a key', 'x', 'y')).toThrow();
  });
});
