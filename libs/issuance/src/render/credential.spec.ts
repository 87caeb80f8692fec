import { createHash, createPublicKey, generateKeyPairSync, sign, verify } from 'crypto';
import { readFileSync } from 'fs';
import { resolve } from 'path';
import Ajv2019 from 'ajv/dist/2019';
import addFormats from 'ajv-formats';
import { calculateJwkThumbprint, createLocalJWKSet, jwtVerify } from 'jose';
import { IssuerKey } from '../document-model';
import { buildCredential, candidateIdentity, identityHash, issueCredential, OpenBadgeCredential, publicJwk, signJwt, verifyCredential } from './credential';
import { generateIssuerKey, issuerKeyFromPem } from './issuer-key';
import { sampleAttestation, sampleCertificate, sampleEngineeringAttestation, sampleEngineeringCertificate } from './testing/sample-models';

const ISSUER = 'https://jalon.example.fr/issuers/jalon';
const key: IssuerKey = generateIssuerKey(ISSUER, 'Jalon — OpenClassrooms');
const otherKey = generateIssuerKey(ISSUER, 'Jalon');
/** The Ed25519 key the first documents were signed with (EdDSA, a bare-hash kid). */
const legacyKey = issuerKeyFromPem(
  generateKeyPairSync('ed25519', { privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } }).privateKey,
  'https://jalon.example.fr/issuer',
  'Jalon',
);

const segments = (jwt: string): [string, string, string] => jwt.split('.') as [string, string, string];
const decode = (segment: string): Record<string, unknown> => JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
type Payload = OpenBadgeCredential & { iss: string; sub: string; jti: string; nbf: number };

describe('issueCredential', () => {
  const jwt = issueCredential(sampleAttestation, key);
  const payload = decode(segments(jwt)[1]) as unknown as Payload;

  it('is a compact JWS signed RS256, naming its key by the URI the key is published at (its RFC 7638 thumbprint under the issuer)', async () => {
    expect(segments(jwt)).toHaveLength(3);
    const header = decode(segments(jwt)[0]);
    // Only the JOSE headers OB 3.0 §8.2.3 allows.
    expect(header).toEqual({ alg: 'RS256', typ: 'JWT', kid: key.keyId });
    const thumbprint = await calculateJwkThumbprint(createPublicKey(key.publicKeyPem).export({ format: 'jwk' }) as never, 'sha256');
    expect(header.kid).toBe(`${ISSUER}/keys/${thumbprint}`);
    expect(createPublicKey(key.publicKeyPem).asymmetricKeyDetails?.modulusLength).toBeGreaterThanOrEqual(2048);
  });

  it('is deterministic: built from the model only, and RSA PKCS#1 v1.5 signatures are deterministic', () => {
    expect(issueCredential({ ...sampleAttestation }, key)).toBe(jwt);
    expect(issueCredential({ ...sampleAttestation, number: 'JAL-A-0000000000' }, key)).not.toBe(jwt);
  });

  it('has the credential’s own properties at the top of the payload, with the claims iss, sub, nbf and jti that restate them (§8.2.4), and no vc claim', () => {
    expect(payload).not.toHaveProperty('vc');
    expect(payload.iss).toBe(payload.issuer.id);
    expect(payload.iss).toBe(ISSUER);
    expect(payload.sub).toBe(payload.credentialSubject.id);
    expect(payload.jti).toBe(payload.id);
    expect(payload.nbf).toBe(Date.parse(payload.validFrom) / 1000);
    expect(payload.nbf).toBe(Date.parse('2026-06-14T09:30:00Z') / 1000);
  });

  it('names its subject by an id derived from the enrollment and the document number: the same each time, another for another document, nothing of the holder', () => {
    const uuidV5 = /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    expect(payload.credentialSubject.id).toMatch(uuidV5);
    expect(buildCredential(sampleAttestation, otherKey).credentialSubject.id).toBe(payload.credentialSubject.id);
    expect(buildCredential({ ...sampleAttestation, number: 'JAL-A-0000000000' }, key).credentialSubject.id).not.toBe(payload.credentialSubject.id);
    expect(buildCredential({ ...sampleAttestation, enrollmentId: 'enr-other' }, key).credentialSubject.id).not.toBe(payload.credentialSubject.id);
    expect(buildCredential({ ...sampleAttestation, candidate: sampleCertificate.candidate }, key).credentialSubject.id).toBe(payload.credentialSubject.id);
  });

  it('says what was certified: a bloc aligned to its official RNCP bloc code, a diplôme as a Diploma, a title as a Certificate', () => {
    const bloc = buildCredential(sampleAttestation, key).credentialSubject.achievement;
    expect(bloc.achievementType).toBe('Competency');
    expect(bloc.humanCode).toBe('RNCP38587BC01');
    expect(bloc.alignment?.map((a) => [a.targetType, a.targetCode, a.targetUrl])).toEqual([
      ['ceasn:Competency', 'RNCP38587BC01', 'https://www.francecompetences.fr/recherche/rncp/38587/'],
      ['ceterms:Credential', 'RNCP38587', 'https://www.francecompetences.fr/recherche/rncp/38587/'],
    ]);
    expect(buildCredential(sampleCertificate, key).credentialSubject.achievement.achievementType).toBe('Certificate');
    expect(buildCredential(sampleEngineeringCertificate, key).credentialSubject.achievement.achievementType).toBe('Diploma');
    // A row of a diplôme has no official bloc code (L1 is the school's): no bloc alignment is invented.
    expect(buildCredential(sampleEngineeringAttestation, key).credentialSubject.achievement.alignment?.map((a) => a.targetType) ?? []).not.toContain(
      'ceasn:Competency',
    );
  });

  it('is valid against the Open Badges 3.0 AchievementCredential JSON Schema, JWT claims included', () => {
    const ajv = new Ajv2019({ strict: false, allErrors: true });
    addFormats(ajv);
    const validate = ajv.compile(
      JSON.parse(readFileSync(resolve(__dirname, '../../../../../shared/open-badges/ob_v3p0_achievementcredential_schema.json'), 'utf8')),
    );
    for (const model of [sampleAttestation, sampleCertificate, sampleEngineeringAttestation, sampleEngineeringCertificate]) {
      const signed = decode(segments(issueCredential(model, key))[1]);
      expect({ number: model.number, valid: validate(signed), errors: validate.errors ?? [] }).toEqual({ number: model.number, valid: true, errors: [] });
    }
  });

  it('verifies with jose against the published JWK alone, RS256 pinned, its issuer and subject checked', async () => {
    const { payload: verified, protectedHeader } = await jwtVerify(jwt, createLocalJWKSet({ keys: [publicJwk(otherKey), publicJwk(key)] as never[] }), {
      algorithms: ['RS256'],
      issuer: ISSUER,
      subject: payload.credentialSubject.id,
      currentDate: new Date('2026-12-01T00:00:00Z'),
    });
    expect(protectedHeader.kid).toBe(key.keyId);
    expect(verified.jti).toBe(payload.id);
  });

  it('carries an Open Badges 3.0 credential', () => {
    expect(payload['@context']).toEqual(['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json']);
    expect(payload.type).toEqual(['VerifiableCredential', 'OpenBadgeCredential']);
    expect(payload.id).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(payload.issuer).toEqual({ id: ISSUER, type: ['Profile'], name: 'Jalon — OpenClassrooms' });
    expect(payload.validFrom).toBe('2026-06-14T09:30:00Z');

    const { achievement } = payload.credentialSubject;
    expect(payload.credentialSubject.type).toEqual(['AchievementSubject']);
    expect(achievement).toMatchObject({
      type: ['Achievement'],
      achievementType: 'Competency',
      name: "Bloc de compétences BC01 — Collecter, pré-traiter et analyser des données et créer des variables pertinentes (feature engineering) pour l'entraînement d'un modèle",
      humanCode: 'RNCP38587BC01',
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
    expect(achievement.alignment?.[1]).toMatchObject({ targetCode: 'RNCP38587', targetUrl: 'https://www.francecompetences.fr/recherche/rncp/38587/' });

    expect(payload.evidence[0]).toMatchObject({ id: sampleAttestation.verificationUrl, type: ['Evidence'] });
    expect(payload.evidence[0]!.narrative).toContain('Décision du jury du 14 juin 2026 à Paris');
  });

  it('identifies the holder by a salted hash of the name exactly as printed, which code knowing only OB 3.0 recomputes', () => {
    const text = Buffer.from(segments(jwt)[1], 'base64url').toString('utf8');
    expect(text).not.toMatch(/Anaïs|Lefèvre|LEFÈVRE|Garçon/i);
    const [identity] = buildCredential(sampleAttestation, key).credentialSubject.identifier;
    expect(identity).toMatchObject({ type: 'IdentityObject', identityType: 'name', hashed: true, salt: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/) });
    // What a verifier does with the name read on the PDF or the verification page: sha256$ + hex(SHA-256(UTF-8(name + salt))).
    const independently = (printed: string, salt: string) =>
      `sha256$${createHash('sha256')
        .update(Buffer.from(printed + salt, 'utf8'))
        .digest('hex')}`;
    expect(identity!.identityHash).toBe(independently('Anaïs Hélène LEFÈVRE', identity!.salt));
    expect(identity!.identityHash).not.toBe(independently('anaïs hélène lefèvre', identity!.salt));

    // A Vietnamese name (precomposed letters with two diacritics): as printed, « Thị Ánh NGUYỄN ».
    const vietnamese = { ...sampleAttestation, candidate: { birthName: 'Nguyễn', firstNames: ['Thị', 'Ánh'], birthDate: '2000-01-01' } };
    const [hashed] = buildCredential(vietnamese, key).credentialSubject.identifier;
    expect(hashed!.identityHash).toBe(independently('Thị Ánh NGUYỄN', hashed!.salt));
    expect(hashed!.identityHash).toBe(identityHash('Thị Ánh NGUYỄN', hashed!.salt));
    // Typed with combining marks, the same letters give the same hash: the printed name is NFC.
    expect(candidateIdentity({ firstNames: ['Thi\u0323', 'A\u0301nh'], birthName: 'Nguye\u0302\u0303n' })).toBe('Thị Ánh NGUYỄN'.normalize('NFC'));
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
  const published = { keys: [publicJwk(otherKey), publicJwk(key), publicJwk(legacyKey)] };
  /** The payload signed again by `signer`, changed by `change`. */
  const resigned = (change: (payload: Record<string, unknown>) => Record<string, unknown>, signer: IssuerKey = key) =>
    signJwt(change(decode(segments(jwt)[1])), signer);

  it('accepts the credential against the issuer’s published key set, the key chosen by kid', () => {
    const result = verifyCredential(jwt, published);
    if (!result.valid) throw new Error(result.reason);
    expect(result.credential).toMatchObject(JSON.parse(JSON.stringify(buildCredential(sampleCertificate, key))));
    expect(verifyCredential(jwt, key.publicKeyPem).valid).toBe(true);
  });

  it('accepts a credential the legacy Ed25519 key signed (EdDSA, its bare-hash kid), in the same key set', () => {
    const legacy = issueCredential(sampleAttestation, legacyKey);
    expect(decode(segments(legacy)[0])).toEqual({ alg: 'EdDSA', typ: 'JWT', kid: expect.stringMatching(/^[A-Za-z0-9_-]{16}$/) });
    expect(verifyCredential(legacy, published).valid).toBe(true);
    expect(verifyCredential(legacy, { keys: [publicJwk(key)] })).toEqual({ valid: false, reason: `no published key has the kid ${legacyKey.keyId}` });
  });

  it('rejects it when the set does not hold its key, when its kid is missing, or names another key', () => {
    expect(verifyCredential(jwt, { keys: [publicJwk(otherKey)] })).toEqual({ valid: false, reason: `no published key has the kid ${key.keyId}` });
    expect(verifyCredential(jwt, otherKey.publicKeyPem)).toEqual({ valid: false, reason: 'signature does not match' });
    const [, payload, signature] = segments(jwt);
    expect(verifyCredential(`${encode({ alg: 'RS256', typ: 'JWT' })}.${payload}.${signature}`, published)).toEqual({
      valid: false,
      reason: 'the header names no kid: no published key can be chosen',
    });
    const pointedElsewhere = `${encode({ alg: 'RS256', typ: 'JWT', kid: otherKey.keyId })}.${payload}.${signature}`;
    expect(verifyCredential(pointedElsewhere, published)).toEqual({ valid: false, reason: 'signature does not match' });
  });

  it('rejects a payload with one character changed', () => {
    const [header, payload, signature] = segments(jwt);
    const position = Math.floor(payload.length / 2);
    const changed = payload.slice(0, position) + (payload[position] === 'A' ? 'B' : 'A') + payload.slice(position + 1);
    expect(verifyCredential(`${header}.${changed}.${signature}`, published)).toEqual({ valid: false, reason: 'signature does not match' });
  });

  it('rejects a forged credential re-signed by someone else', () => {
    const [header, payload] = segments(jwt);
    const forged = { ...decode(payload), name: 'Certificat — Docteur en médecine' };
    const input = `${header}.${encode(forged)}`;
    const signature = sign('sha256', Buffer.from(input), otherKey.privateKeyPem).toString('base64url');
    expect(verifyCredential(`${input}.${signature}`, published)).toEqual({ valid: false, reason: 'signature does not match' });
  });

  it('pins the algorithm to the key: alg none, HS256, or EdDSA claimed for an RSA key are refused whatever the token names', () => {
    const [, payload, signature] = segments(jwt);
    const none = `${encode({ alg: 'none', typ: 'JWT', kid: key.keyId })}.${payload}.`;
    expect(verifyCredential(none, published)).toEqual({
      valid: false,
      reason: 'unsupported algorithm "none": only RS256, ES256 (and EdDSA, the legacy key\'s) are accepted',
    });
    // HS256 with the public key as the HMAC secret: the classic key-confusion forgery.
    const hs256 = `${encode({ alg: 'HS256', typ: 'JWT', kid: key.keyId })}.${payload}.${signature}`;
    expect(verifyCredential(hs256, published)).toMatchObject({ valid: false, reason: expect.stringContaining('HS256') });
    const confused = `${encode({ alg: 'EdDSA', typ: 'JWT', kid: key.keyId })}.${payload}.${signature}`;
    expect(verifyCredential(confused, published)).toEqual({ valid: false, reason: 'the credential names EdDSA, its key is for RS256' });
    expect(verifyCredential(confused, key.publicKeyPem)).toEqual({ valid: false, reason: 'the credential names EdDSA, its key is for RS256' });
    // A published key whose alg does not fit its type is not used.
    const mislabelled = { keys: [{ ...publicJwk(key), alg: 'EdDSA' }] };
    expect(verifyCredential(jwt, mislabelled)).toEqual({ valid: false, reason: `the key ${key.keyId} is published for EdDSA, its type is for RS256` });
  });

  it('checks the JWT claims against the credential they restate (§8.2.4.2)', () => {
    const cases: [string, (p: Record<string, unknown>) => Record<string, unknown>][] = [
      ['the iss claim is not the issuer’s id', (p) => ({ ...p, iss: 'https://elsewhere.example/issuers/x' })],
      ['the sub claim is not the credentialSubject’s id', (p) => ({ ...p, sub: 'urn:uuid:00000000-0000-5000-8000-000000000000' })],
      ['the sub claim is not the credentialSubject’s id', ({ sub: _sub, ...p }) => p],
      ['the jti claim is not the credential’s id', (p) => ({ ...p, jti: 'urn:uuid:other' })],
      ['the nbf claim is not the credential’s validFrom', (p) => ({ ...p, nbf: (p.nbf as number) - 3600 })],
    ];
    for (const [reason, change] of cases) expect(verifyCredential(resigned(change), published)).toEqual({ valid: false, reason });
    expect(
      verifyCredential(
        resigned((p) => p),
        published,
      ).valid,
    ).toBe(true);
  });

  it('rejects malformed tokens, signatures and keys without throwing', () => {
    const [header, payload, signature] = segments(jwt);
    expect(verifyCredential('', published).valid).toBe(false);
    expect(verifyCredential(`${header}.${payload}`, published).valid).toBe(false);
    expect(verifyCredential(`${header}.${payload}.${signature}.x`, published).valid).toBe(false);
    expect(verifyCredential(`${encode('RS256')}.${payload}.${signature}`, published)).toEqual({ valid: false, reason: 'the header is not a JSON object' });
    expect(verifyCredential(`${header}.${payload}.${signature.slice(0, -2)}`, published)).toEqual({ valid: false, reason: 'malformed RSA signature' });
    expect(verifyCredential(jwt, 'not a key')).toEqual({ valid: false, reason: 'unreadable public key' });
    expect(verifyCredential(jwt, { keys: [{ ...publicJwk(key), n: 'not-a-modulus' }] })).toMatchObject({ valid: false });
    expect(verifyCredential(jwt, { keys: [{ ...publicJwk(key), d: 'AQAB' }] })).toEqual({ valid: false, reason: 'the published key holds private members' });
    expect(verifyCredential(jwt, { keys: [{ ...publicJwk(key), use: 'enc' }] })).toEqual({
      valid: false,
      reason: `the key ${key.keyId} is not for signatures`,
    });
    const small = createPublicKey(
      generateKeyPairSync('rsa', {
        modulusLength: 1024,
        privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
        publicKeyEncoding: { type: 'spki', format: 'pem' },
      }).publicKey,
    ).export({ format: 'jwk' });
    expect(verifyCredential(jwt, { keys: [{ ...small, kid: key.keyId, alg: 'RS256', use: 'sig' }] })).toMatchObject({
      valid: false,
      reason: expect.stringContaining('2048 bits'),
    });
  });

  it('rejects a legacy Ed25519 signature whose last character encodes the same bytes differently', () => {
    const [header, payload, signature] = segments(issueCredential(sampleAttestation, legacyKey));
    // 64 bytes take 85⅓ base64 characters: the last one carries 4 unused bits.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = alphabet.indexOf(signature.at(-1)!);
    const twin = `${signature.slice(0, -1)}${alphabet[last ^ 0b0001]}`;
    expect(Buffer.from(twin, 'base64url').equals(Buffer.from(signature, 'base64url'))).toBe(true);
    expect(verifyCredential(`${header}.${payload}.${twin}`, published)).toEqual({ valid: false, reason: 'malformed Ed25519 signature' });
  });

  it('rejects a signed payload that is not an Open Badge', () => {
    const notABadge = signJwt({ type: ['VerifiableCredential'] }, key);
    expect(verifyCredential(notABadge, published)).toEqual({ valid: false, reason: 'the payload is not an OpenBadgeCredential' });
  });
});

describe('publicJwk', () => {
  it('publishes the RSA public key with its kid, alg and use, never a private member, and a verifier can use it as is', async () => {
    const jwk = publicJwk(key);
    const { n, e } = createPublicKey(key.publicKeyPem).export({ format: 'jwk' });
    expect(jwk).toEqual({ kty: 'RSA', n, e, kid: key.keyId, alg: 'RS256', use: 'sig' });
    for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi']) expect(jwk).not.toHaveProperty(member);
    expect(key.keyId.endsWith(`/keys/${await calculateJwkThumbprint(jwk as never, 'sha256')}`)).toBe(true);

    const jwt = issueCredential(sampleAttestation, key);
    const [header, payload, signature] = segments(jwt);
    const fromJwk = createPublicKey({ key: { ...jwk }, format: 'jwk' });
    expect(verify('sha256', Buffer.from(`${header}.${payload}`), fromJwk, Buffer.from(signature, 'base64url'))).toBe(true);
    expect(publicJwk(otherKey).n).not.toBe(jwk.n);
  });

  it('publishes the legacy Ed25519 key as OKP under its old kid', () => {
    expect(publicJwk(legacyKey)).toEqual({
      kty: 'OKP',
      crv: 'Ed25519',
      x: createPublicKey(legacyKey.publicKeyPem).export({ format: 'jwk' }).x,
      kid: legacyKey.keyId,
      alg: 'EdDSA',
      use: 'sig',
    });
  });
});
