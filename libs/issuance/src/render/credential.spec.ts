import { createPublicKey, sign, verify } from 'crypto';
import { IssuerKey } from '../document-model';
import { buildCredential, candidateIdentity, identityHash, issueCredential, OpenBadgeCredential, publicJwk, verifyCredential } from './credential';
import { generateIssuerKey } from './issuer-key';
import { sampleAttestation, sampleCertificate } from './testing/sample-models';

const key: IssuerKey = generateIssuerKey('https://jalon.example.fr/issuer', 'Jalon — OpenClassrooms');
const otherKey = generateIssuerKey('https://jalon.example.fr/issuer', 'Jalon');

const segments = (jwt: string): [string, string, string] => jwt.split('.') as [string, string, string];
const decode = (segment: string): Record<string, unknown> => JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('issueCredential', () => {
  const jwt = issueCredential(sampleAttestation, key);

  it('is a compact JWS signed with EdDSA, naming the key', () => {
    expect(segments(jwt)).toHaveLength(3);
    expect(decode(segments(jwt)[0])).toEqual({ alg: 'EdDSA', typ: 'JWT', kid: key.keyId });
  });

  it('is deterministic: built from the model only, and Ed25519 signatures are deterministic', () => {
    expect(issueCredential({ ...sampleAttestation }, key)).toBe(jwt);
    expect(issueCredential({ ...sampleAttestation, number: 'JAL-A-0000000000' }, key)).not.toBe(jwt);
  });

  it('carries an Open Badges 3.0 credential with the JWT claims that mirror it', () => {
    const payload = decode(segments(jwt)[1]) as unknown as OpenBadgeCredential & { iss: string; jti: string; nbf: number };
    expect(payload['@context']).toEqual(['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json']);
    expect(payload.type).toEqual(['VerifiableCredential', 'OpenBadgeCredential']);
    expect(payload.id).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(payload.issuer).toEqual({ id: 'https://jalon.example.fr/issuer', type: ['Profile'], name: 'Jalon — OpenClassrooms' });
    expect(payload.validFrom).toBe('2026-06-14T09:30:00Z');
    expect(payload).toMatchObject({ iss: payload.issuer.id, jti: payload.id, nbf: Date.parse('2026-06-14T09:30:00Z') / 1000 });

    const { achievement } = payload.credentialSubject;
    expect(payload.credentialSubject.type).toEqual(['AchievementSubject']);
    expect(achievement).toMatchObject({
      type: ['Achievement'],
      achievementType: 'Competency',
      name: "Bloc de compétences BC01 — Collecter, pré-traiter et analyser des données et créer des variables pertinentes (feature engineering) pour l'entraînement d'un modèle",
      humanCode: 'BC01',
      inLanguage: 'fr',
      version: '1',
      creator: { type: ['Profile'], name: 'OpenClassrooms' },
    });
    expect(achievement.description).toBe(
      'Bloc de compétences BC01 de la certification professionnelle « Expert en data science », de niveau 7 du cadre national des certifications professionnelles, ' +
        'enregistrée au RNCP sous le numéro RNCP38587, délivrée par OpenClassrooms. Référentiel expert-en-data-science, version 1.',
    );
    expect(achievement.criteria.narrative).not.toContain('Chaque bloc');
    expect(achievement.criteria.narrative).toContain('référentiel expert-en-data-science, version 1');
    expect(achievement.alignment?.[0]).toMatchObject({ targetCode: 'RNCP38587', targetUrl: 'https://www.francecompetences.fr/recherche/rncp/38587/' });

    expect(payload.evidence[0]).toMatchObject({ id: sampleAttestation.verificationUrl, type: ['Evidence'] });
    expect(payload.evidence[0]!.narrative).toContain('Décision du jury du 14 juin 2026 à Paris');
  });

  it('identifies the candidate by a salted hash of the name, never the name itself', () => {
    const payload = Buffer.from(segments(jwt)[1], 'base64url').toString('utf8');
    expect(payload).not.toMatch(/Anaïs|Lefèvre|LEFÈVRE|Garçon/i);
    const [identity] = buildCredential(sampleAttestation, key).credentialSubject.identifier;
    expect(identity).toMatchObject({ type: 'IdentityObject', identityType: 'name', hashed: true });
    expect(identity!.identityHash).toBe(identityHash('anaïs hélène lefèvre', identity!.salt));
    expect(candidateIdentity({ firstNames: ['  Anaïs', 'He\u0301le\u0300ne'], birthName: 'LEFÈVRE ' })).toBe('anaïs hélène lefèvre');
  });

  it('describes a certificate with its option, its blocs and the RNCP fiche', () => {
    const { achievement } = buildCredential(sampleCertificate, key).credentialSubject;
    expect(achievement).toMatchObject({
      achievementType: 'Certificate',
      name: 'Expert en ingénierie et science des données — option Data Science',
      humanCode: 'RNCP37137',
    });
    expect(achievement.criteria.narrative).toContain('BC01, BC02, BC03, BC05 (option Data Science)');
    // The same achievement for every candidate with the same référentiel version and option.
    const other = buildCredential({ ...sampleCertificate, number: 'JAL-C-OTHER', candidate: sampleAttestation.candidate }, key).credentialSubject.achievement;
    expect(other.id).toBe(achievement.id);
  });
});

describe('verifyCredential', () => {
  const jwt = issueCredential(sampleCertificate, key);

  it('accepts the credential with the issuer public key, offline', () => {
    const result = verifyCredential(jwt, key.publicKeyPem);
    if (!result.valid) throw new Error(result.reason);
    expect(result.credential).toMatchObject(JSON.parse(JSON.stringify(buildCredential(sampleCertificate, key))));
  });

  it('rejects it with another key', () => {
    expect(verifyCredential(jwt, otherKey.publicKeyPem)).toEqual({ valid: false, reason: 'signature does not match' });
  });

  it('rejects a payload with one character changed', () => {
    const [header, payload, signature] = segments(jwt);
    const position = Math.floor(payload.length / 2);
    const changed = payload.slice(0, position) + (payload[position] === 'A' ? 'B' : 'A') + payload.slice(position + 1);
    expect(verifyCredential(`${header}.${changed}.${signature}`, key.publicKeyPem)).toEqual({ valid: false, reason: 'signature does not match' });
  });

  it('rejects a forged credential re-signed by someone else', () => {
    const [header, payload] = segments(jwt);
    const forged = { ...decode(payload), name: 'Certificat — Docteur en médecine' };
    const input = `${header}.${encode(forged)}`;
    const signature = sign(null, Buffer.from(input), otherKey.privateKeyPem).toString('base64url');
    expect(verifyCredential(`${input}.${signature}`, key.publicKeyPem).valid).toBe(false);
  });

  it('rejects alg none and any algorithm but EdDSA', () => {
    const [, payload] = segments(jwt);
    const none = `${encode({ alg: 'none', typ: 'JWT' })}.${payload}.`;
    expect(verifyCredential(none, key.publicKeyPem)).toEqual({ valid: false, reason: 'unsupported algorithm "none": only EdDSA is accepted' });
    const hs256 = `${encode({ alg: 'HS256', typ: 'JWT' })}.${payload}.${segments(jwt)[2]}`;
    expect(verifyCredential(hs256, key.publicKeyPem)).toMatchObject({ valid: false, reason: expect.stringContaining('HS256') });
  });

  it('rejects malformed tokens and keys without throwing', () => {
    const [header, payload, signature] = segments(jwt);
    expect(verifyCredential('', key.publicKeyPem).valid).toBe(false);
    expect(verifyCredential(`${header}.${payload}`, key.publicKeyPem).valid).toBe(false);
    expect(verifyCredential(`${header}.${payload}.${signature}.x`, key.publicKeyPem).valid).toBe(false);
    expect(verifyCredential(`${encode('EdDSA')}.${payload}.${signature}`, key.publicKeyPem)).toEqual({
      valid: false,
      reason: 'the header is not a JSON object',
    });
    expect(verifyCredential(`${header}.${payload}.${signature.slice(0, -2)}`, key.publicKeyPem)).toEqual({
      valid: false,
      reason: 'malformed Ed25519 signature',
    });
    expect(verifyCredential(jwt, 'not a key')).toEqual({ valid: false, reason: 'unreadable public key' });
  });

  it('rejects a signature whose last character encodes the same bytes differently', () => {
    const [header, payload, signature] = segments(jwt);
    // 64 bytes take 85⅓ base64 characters: the last one carries 4 unused bits.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = alphabet.indexOf(signature.at(-1)!);
    const twin = `${signature.slice(0, -1)}${alphabet[last ^ 0b0001]}`;
    expect(Buffer.from(twin, 'base64url').equals(Buffer.from(signature, 'base64url'))).toBe(true);
    expect(verifyCredential(`${header}.${payload}.${twin}`, key.publicKeyPem)).toEqual({ valid: false, reason: 'malformed Ed25519 signature' });
  });

  it('rejects a signed payload that is not an Open Badge', () => {
    const input = `${encode({ alg: 'EdDSA', typ: 'JWT', kid: key.keyId })}.${encode({ type: ['VerifiableCredential'] })}`;
    const signature = sign(null, Buffer.from(input), key.privateKeyPem).toString('base64url');
    expect(verifyCredential(`${input}.${signature}`, key.publicKeyPem)).toEqual({ valid: false, reason: 'the payload is not an OpenBadgeCredential' });
  });
});

describe('publicJwk', () => {
  it('publishes the OKP Ed25519 public key with its kid, and a verifier can use it as is', () => {
    const jwk = publicJwk(key);
    expect(jwk).toEqual({
      kty: 'OKP',
      crv: 'Ed25519',
      x: createPublicKey(key.publicKeyPem).export({ format: 'jwk' }).x,
      kid: key.keyId,
      alg: 'EdDSA',
      use: 'sig',
    });
    expect(jwk).not.toHaveProperty('d');

    const jwt = issueCredential(sampleAttestation, key);
    const [header, payload, signature] = segments(jwt);
    const fromJwk = createPublicKey({ key: jwk, format: 'jwk' });
    expect(verify(null, Buffer.from(`${header}.${payload}`), fromJwk, Buffer.from(signature, 'base64url'))).toBe(true);
    expect(verifyCredential(jwt, fromJwk.export({ format: 'pem', type: 'spki' }).toString()).valid).toBe(true);
    expect(publicJwk(otherKey).x).not.toBe(jwk.x);
  });
});
