import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Ajv2019 from 'ajv/dist/2019';
import addFormats from 'ajv-formats';
import { createLocalJWKSet, decodeProtectedHeader, JSONWebKeySet, jwtVerify } from 'jose';
import request from 'supertest';
import { Referential } from '@jalon/domain';
import { IssuerKeyRing } from '@jalon/issuance';
import { eventually } from './support/eventually';
import { actor, HttpActor } from './support/http-actors';
import { PathDriver } from './support/path-driver';
import { startTestApp, TestApp } from './support/test-app';

const BASE = 'https://certificats.jalon.test';
const ISSUER = `${BASE}/issuers/jalon`;
const schemas = resolve(__dirname, '../../shared/open-badges');

/**
 * What a verifier holding nothing but the credential does (Open Badges 3.0 §8.2): dereference the
 * issuer's keys over HTTP and check the VC-JWT with a standard library, RS256 pinned. Every check
 * here uses jose, Ajv, node:crypto and the answers of the api — no Jalon code — so what passes here
 * passes for 1EdTech's validator and any other verifier.
 */
describe('credentials anyone verifies with the issuer’s published keys, through a key rotation (PostgreSQL, Redis)', () => {
  let testApp: TestApp;
  let admin: HttpActor;
  let driver: PathDriver;
  const http = () => request(testApp.app.getHttpServer());
  /** The path of one of this service's URLs (the base is the public one, not the test server's). */
  const pathOf = (url: string) => {
    expect(url.startsWith(`${BASE}/`)).toBe(true);
    return new URL(url).pathname;
  };
  const ajv = new Ajv2019({ strict: false, allErrors: true });
  addFormats(ajv);
  const validateCredential = ajv.compile(JSON.parse(readFileSync(resolve(schemas, 'ob_v3p0_achievementcredential_schema.json'), 'utf8')));
  const validateProfile = ajv.compile(JSON.parse(readFileSync(resolve(schemas, 'ob_v3p0_profile_schema.json'), 'utf8')));

  beforeAll(async () => {
    testApp = await startTestApp({ PUBLIC_BASE_URL: BASE });
    admin = actor(testApp.app, 'admin');
    const referential: Referential = (await admin.get('/referentials/data-ia-quatre-blocs/versions/1').expect(200)).body;
    driver = new PathDriver(referential, {
      admin,
      jury: actor(testApp.app, 'jury'),
      assessor: actor(testApp.app, 'assessor'),
      referent: actor(testApp.app, 'referent'),
    });
  }, 60_000);
  afterAll(() => testApp?.close());

  /** The credential of the attestation of `blocCode`, once issued. */
  async function attestationOf(enrollmentId: string, blocCode: string): Promise<{ number: string; jwt: string }> {
    const document = await eventually(async () => {
      const documents = (await admin.get(`/enrollments/${enrollmentId}/documents`).expect(200)).body as { number: string; blocCode?: string }[];
      const found = documents.find((d) => d.blocCode === blocCode);
      expect(found).toBeDefined();
      return found!;
    }, 30_000);
    const jwt = (await admin.get(`/enrollments/${enrollmentId}/documents/${document.number}/credential`).expect(200)).text;
    return { number: document.number, jwt };
  }

  const publishedKeys = async (): Promise<JSONWebKeySet> => (await http().get('/issuers/jalon/jwks.json').expect(200).expect('content-type', /json/)).body;
  const verifyWith = (jwt: string, jwks: JSONWebKeySet) => jwtVerify(jwt, createLocalJWKSet(jwks), { algorithms: ['RS256'], issuer: ISSUER });
  const verifyEs256With = (jwt: string, jwks: JSONWebKeySet) => jwtVerify(jwt, createLocalJWKSet(jwks), { algorithms: ['ES256'], issuer: ISSUER });

  it('issues a VC-JWT that verifies with the published JWK set alone, whose kid dereferences to its key, valid against the OB 3.0 schema; after a rotation the old one still verifies and new ones name the new key', async () => {
    const candidateId = (
      await admin
        .post('/candidates', {
          birthName: 'Nguyễn',
          firstNames: ['Thị', 'Ánh'],
          birthDate: '2000-02-29',
          sex: 'F',
          birthPlace: 'Hô-Chi-Minh-Ville (Viêt Nam)',
          email: 'thi.anh@example.org',
        })
        .expect(201)
    ).body.id;
    const enrollmentId = await driver.enroll({ candidateId });
    await driver.passBloc(enrollmentId, 'BC01');
    const first = await attestationOf(enrollmentId, 'BC01');

    // The header: RS256, and a kid that is a URI under the issuer.
    const header = decodeProtectedHeader(first.jwt);
    expect(header).toEqual({
      alg: 'RS256',
      typ: 'JWT',
      kid: expect.stringMatching(/^https:\/\/certificats\.jalon\.test\/issuers\/jalon\/keys\/[A-Za-z0-9_-]{43}$/),
    });

    // Verified with the issuer's published set, fetched over HTTP, and nothing else.
    const jwks = await publishedKeys();
    // The RSA key, and the P-256 key of the credentials asked as ES256.
    expect(jwks.keys.map((key) => key.alg)).toEqual(['RS256', 'ES256']);
    for (const key of jwks.keys) for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi']) expect(key).not.toHaveProperty(member);
    const { payload } = await verifyWith(first.jwt, jwks);
    expect(payload).not.toHaveProperty('vc');
    const credential = payload as Record<string, unknown> & {
      issuer: { id: string };
      credentialSubject: { id: string; identifier: { identityHash: string; salt: string }[] };
    };
    expect(payload.iss).toBe(credential.issuer.id);
    expect(payload.sub).toBe(credential.credentialSubject.id);
    expect(payload.jti).toBe(credential.id);
    expect(payload.nbf).toBe(Date.parse(credential.validFrom as string) / 1000);

    // The kid dereferences, over HTTP, to that very key.
    const dereferenced = (await http().get(pathOf(header.kid!)).expect(200)).body;
    expect(dereferenced).toEqual(jwks.keys.find((key) => key.kid === header.kid));
    expect(dereferenced).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', kid: header.kid });
    // The thumbprint in the URI is the key's RFC 7638 thumbprint, as any verifier computes it.
    const thumbprint = createHash('sha256')
      .update(JSON.stringify({ e: dereferenced.e, kty: 'RSA', n: dereferenced.n }))
      .digest('base64url');
    expect(header.kid).toBe(`${ISSUER}/keys/${thumbprint}`);
    // The modulus has at least 2048 bits.
    expect(Buffer.from(dereferenced.n, 'base64url').length * 8).toBeGreaterThanOrEqual(2048);

    // The payload is valid against the Open Badges 3.0 AchievementCredential schema.
    expect({ valid: validateCredential(payload), errors: validateCredential.errors ?? [] }).toEqual({ valid: true, errors: [] });

    // The issuer id dereferences to its Open Badges Profile.
    const profile = (await http().get(pathOf(credential.issuer.id)).expect(200)).body;
    expect(profile).toMatchObject({ id: ISSUER, type: ['Profile'], name: 'Jalon' });
    expect({ valid: validateProfile(profile), errors: validateProfile.errors ?? [] }).toEqual({ valid: true, errors: [] });

    // The identity hash is of the name as the verification page prints it: recomputed from that name and the salt alone.
    const { document } = (await http().get(`/verifications/${first.number}`).expect(200)).body;
    expect(document.holder).toBe('Thị Ánh NGUYỄN');
    const [identity] = credential.credentialSubject.identifier;
    expect(identity.identityHash).toBe(`sha256$${createHash('sha256').update(`${document.holder}${identity.salt}`, 'utf8').digest('hex')}`);

    // Asked as ES256: the same payload signed now with the issuer's P-256 key, verified with the published set alone.
    const credentialUrl = `/enrollments/${enrollmentId}/documents/${first.number}/credential`;
    const es256 = (
      await admin
        .get(`${credentialUrl}?alg=ES256`)
        .expect(200)
        .expect('content-type', /application\/vc\+jwt/)
    ).text;
    const es256Header = decodeProtectedHeader(es256);
    expect(es256Header).toEqual({
      alg: 'ES256',
      typ: 'JWT',
      kid: expect.stringMatching(/^https:\/\/certificats\.jalon\.test\/issuers\/jalon\/keys\/[A-Za-z0-9_-]{43}$/),
    });
    const verifiedEs256 = await verifyEs256With(es256, jwks);
    expect(verifiedEs256.payload).toEqual(payload);
    const es256Key = (await http().get(pathOf(es256Header.kid!)).expect(200)).body;
    expect(es256Key).toEqual(jwks.keys.find((key) => key.kid === es256Header.kid));
    expect(es256Key).toEqual({ kty: 'EC', crv: 'P-256', x: expect.any(String), y: expect.any(String), alg: 'ES256', use: 'sig', kid: es256Header.kid });
    const es256Thumbprint = createHash('sha256')
      .update(JSON.stringify({ crv: 'P-256', kty: 'EC', x: es256Key.x, y: es256Key.y }))
      .digest('base64url');
    expect(es256Header.kid).toBe(`${ISSUER}/keys/${es256Thumbprint}`);
    // The stored credential is untouched: without alg, or RS256, the same bytes as issued, still verifying.
    expect((await admin.get(credentialUrl).expect(200)).text).toBe(first.jwt);
    expect((await admin.get(`${credentialUrl}?alg=RS256`).expect(200)).text).toBe(first.jwt);
    expect((await http().get(`/verifications/${first.number}`).expect(200)).body).toMatchObject({
      status: 'valid',
      checks: { credentialHash: true, credentialSignature: true },
    });
    // The same access rules as the stored one, and any other algorithm is refused naming the field.
    await http().get(`${credentialUrl}?alg=ES256`).expect(401);
    expect((await admin.get(`${credentialUrl}?alg=HS256`).expect(400)).body).toMatchObject({ code: 'REQUEST.INVALID', errors: [{ field: 'alg' }] });

    // The issuer's keys are rotated: the new ones are published beside the old.
    const rotated = await testApp.app.get(IssuerKeyRing).rotate('jalon');
    expect(rotated.retired.map((key) => key.jwk.kid).sort()).toEqual([header.kid, es256Header.kid].sort());
    const afterRotation = await publishedKeys();
    expect(afterRotation.keys.map((key) => key.kid)).toEqual([rotated.current.jwk.kid, rotated.currentEs256.jwk.kid, es256Header.kid, header.kid]);
    // What the old P-256 key signed still verifies; asked now, ES256 names the new one.
    await expect(verifyEs256With(es256, afterRotation)).resolves.toBeDefined();
    const es256Now = (await admin.get(`${credentialUrl}?alg=ES256`).expect(200)).text;
    expect(decodeProtectedHeader(es256Now).kid).toBe(rotated.currentEs256.jwk.kid);
    expect((await verifyEs256With(es256Now, afterRotation)).payload).toEqual(payload);

    // What the old key signed still verifies, with the new set, and its kid still dereferences.
    await expect(verifyWith(first.jwt, afterRotation)).resolves.toMatchObject({ protectedHeader: { kid: header.kid } });
    expect((await http().get(pathOf(header.kid!)).expect(200)).body).toEqual(dereferenced);
    expect((await http().get(`/verifications/${first.number}`).expect(200)).body).toMatchObject({ status: 'valid', checks: { credentialSignature: true } });

    // A credential issued now names the new key, and verifies with the same set.
    await driver.passBloc(enrollmentId, 'BC02');
    const second = await attestationOf(enrollmentId, 'BC02');
    expect(decodeProtectedHeader(second.jwt).kid).toBe(rotated.current.jwk.kid);
    await expect(verifyWith(second.jwt, afterRotation)).resolves.toBeDefined();
    // The set before the rotation does not know it.
    await expect(verifyWith(second.jwt, jwks)).rejects.toThrow();
    expect((await http().get(`/verifications/${second.number}`).expect(200)).body).toMatchObject({ status: 'valid', checks: { credentialSignature: true } });

    // The service-wide set and the issuer of the first documents list the same keys.
    expect((await http().get('/.well-known/jwks.json').expect(200)).body.keys).toEqual(afterRotation.keys);
    const legacyProfile = (await http().get('/issuer').expect(200)).body;
    expect(legacyProfile).toMatchObject({ id: `${BASE}/issuer`, profile: ISSUER, keys: afterRotation.keys, publicKey: afterRotation.keys[0] });
  }, 120_000);

  it('answers 400 naming the parameter for a malformed issuer or thumbprint, 404 for an unknown issuer or key', async () => {
    const invalid = await http().get('/issuers/Not_A_Slug').expect(400);
    expect(invalid.body).toMatchObject({ code: 'REQUEST.INVALID', errors: [{ field: 'issuer', reasons: [expect.stringContaining('issuer slug')] }] });
    expect((await http().get('/issuers/Not_A_Slug/jwks.json').expect(400)).body.errors[0].field).toBe('issuer');
    expect((await http().get('/issuers/jalon/keys/too-short').expect(400)).body).toMatchObject({
      errors: [{ field: 'thumbprint', reasons: ['thumbprint must be an RFC 7638 JWK thumbprint: 43 base64url characters'] }],
    });
    expect((await http().get('/issuers/nobody').expect(404)).body.code).toBe('ISSUER.NOT_FOUND');
    expect((await http().get('/issuers/nobody/jwks.json').expect(404)).body.code).toBe('ISSUER.NOT_FOUND');
    expect(
      (
        await http()
          .get(`/issuers/jalon/keys/${'A'.repeat(43)}`)
          .expect(404)
      ).body.code,
    ).toBe('ISSUER_KEY.NOT_FOUND');
  });
});
