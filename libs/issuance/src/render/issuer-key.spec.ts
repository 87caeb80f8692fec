import { createHash, createPublicKey, generateKeyPairSync } from 'crypto';
import { generateIssuerKey, issuerKeyFromPem } from './issuer-key';

describe('issuer keys', () => {
  it('generates an Ed25519 key whose id is the start of the SHA-256 of the raw public key', () => {
    const key = generateIssuerKey('https://jalon.example.fr/issuer', 'Jalon');
    expect(key).toMatchObject({ issuerId: 'https://jalon.example.fr/issuer', issuerName: 'Jalon' });
    expect(key.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(key.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    const spki = createPublicKey(key.publicKeyPem).export({ format: 'der', type: 'spki' });
    const raw = spki.subarray(spki.length - 32);
    expect(key.keyId).toBe(createHash('sha256').update(raw).digest('base64url').slice(0, 16));
    expect(key.keyId).toMatch(/^[A-Za-z0-9_-]{16}$/);
  });

  it('derives the same public key and id from the configured private key', () => {
    const generated = generateIssuerKey('https://jalon.example.fr/issuer', 'Jalon');
    const fromPem = issuerKeyFromPem(generated.privateKeyPem, generated.issuerId, generated.issuerName);
    expect(fromPem).toEqual(generated);
    expect(issuerKeyFromPem(generated.privateKeyPem.replace(/\n/g, '\r\n'), 'x', 'y').keyId).toBe(generated.keyId);
  });

  it('refuses a key that is not Ed25519', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(() => issuerKeyFromPem(privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(), 'x', 'y')).toThrow(/Ed25519/);
    expect(() => issuerKeyFromPem('not a key', 'x', 'y')).toThrow();
  });
});
