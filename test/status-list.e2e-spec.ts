import { createPublicKey, verify } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import request from 'supertest';
import { Referential } from '@jalon/domain';
import { eventually } from './support/eventually';
import { actor, HttpActor } from './support/http-actors';
import { PathDriver } from './support/path-driver';
import { startTestApp, TestApp } from './support/test-app';

/*
 * Revocation a machine can check (issue 16): each credential names its bit in a W3C Bitstring
 * Status List the api publishes, and an annulment sets that bit. The list is read here with code
 * of the test's own — node:zlib, Buffer's base64url, bit arithmetic — not the project's, so the
 * test holds the published bytes to the specification rather than to the code that made them.
 */

const PUBLIC_BASE_URL = 'https://certificats.jalon.test';

const payloadOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>;
const headerOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[0], 'base64url').toString('utf8')) as Record<string, unknown>;

/** The bit at `index` of an encodedList: `u` + base64url of a GZIP; index 0 the left-most bit of the first byte. */
function bitOf(encodedList: string, index: number): number {
  expect(encodedList[0]).toBe('u');
  const bits = gunzipSync(Buffer.from(encodedList.slice(1), 'base64url'));
  expect(bits.length).toBeGreaterThanOrEqual(131_072 / 8);
  return (bits[Math.floor(index / 8)] >> (7 - (index % 8))) & 1;
}

describe('revocation status list: a credential’s bit, published, set by the annulment (PostgreSQL, Redis)', () => {
  let testApp: TestApp;
  let admin: HttpActor;
  let jury: HttpActor;
  let driver: PathDriver;
  const server = () => testApp.app.getHttpServer();

  beforeAll(async () => {
    testApp = await startTestApp({ PUBLIC_BASE_URL });
    admin = actor(testApp.app, 'admin');
    jury = actor(testApp.app, 'jury');
    const referential: Referential = (await admin.get('/referentials/data-ia-quatre-blocs/versions/1').expect(200)).body;
    driver = new PathDriver(referential, { admin, jury, assessor: actor(testApp.app, 'assessor'), referent: actor(testApp.app, 'referent') });
  }, 60_000);
  afterAll(() => testApp?.close());

  /** The list as published, its signature checked against the issuer's published keys. */
  async function fetchList(path: string, etag?: string) {
    const response = await request(server())
      .get(path)
      .set(etag ? { 'If-None-Match': etag } : {});
    if (response.status !== 200) return { response };
    expect(response.headers['content-type']).toMatch(/^application\/vc\+jwt/);
    const jwt = response.text;
    const header = headerOf(jwt);
    const { keys } = (await request(server()).get('/.well-known/jwks.json').expect(200)).body as { keys: (Record<string, unknown> & { kid: string })[] };
    const jwk = keys.find((k) => k.kid === header.kid);
    expect(jwk).toBeDefined();
    const [h, p, s] = jwt.split('.');
    const algorithm = header.alg === 'EdDSA' ? null : 'sha256';
    expect(verify(algorithm, Buffer.from(`${h}.${p}`), createPublicKey({ key: jwk!, format: 'jwk' }), Buffer.from(s, 'base64url'))).toBe(true);
    return { response, credential: payloadOf(jwt) };
  }

  it('a credential names its entry; the list shows it 0, then 1 once the bloc is annulled; ETag, 304', async () => {
    const id = await driver.enroll();
    await driver.passBloc(id, 'BC01');
    const attestation = await eventually(async () => {
      const documents = (await admin.get(`/enrollments/${id}/documents`).expect(200)).body as { number: string; kind: string }[];
      expect(documents).toHaveLength(1);
      return documents[0];
    }, 30_000);

    // The credential's credentialStatus, read from the credential itself.
    const jwt = (await admin.get(`/enrollments/${id}/documents/${attestation.number}/credential`).expect(200)).text;
    const status = payloadOf(jwt).credentialStatus as Record<string, string>;
    expect(status).toEqual({
      id: `${status.statusListCredential}#${status.statusListIndex}`,
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: expect.stringMatching(/^\d+$/),
      statusListCredential: expect.stringMatching(/^https:\/\/certificats\.jalon\.test\/issuers\/[a-z0-9-]+\/status\/\d+$/),
    });
    const index = Number(status.statusListIndex);
    expect(index).toBeLessThan(131_072);
    const path = new URL(status.statusListCredential).pathname;

    const before = await fetchList(path);
    expect(before.response.status).toBe(200);
    expect(before.credential).toMatchObject({
      id: status.statusListCredential,
      type: ['VerifiableCredential', 'BitstringStatusListCredential'],
      validFrom: expect.any(String),
      credentialSubject: { id: `${status.statusListCredential}#list`, type: 'BitstringStatusList', statusPurpose: 'revocation' },
    });
    // The list's issuer is the credential's: a verifier requires it.
    expect((before.credential!.issuer as { id: string }).id).toBe((payloadOf(jwt).issuer as { id: string }).id);
    const subject = before.credential!.credentialSubject as { encodedList: string };
    expect(bitOf(subject.encodedList, index)).toBe(0);
    const etag = before.response.headers.etag as string;
    expect(etag).toMatch(/^"[^"]+"$/);
    expect(before.response.headers['cache-control']).toMatch(/max-age=\d+/);
    // Asked again with its ETag: not modified, no body.
    const notModified = await request(server()).get(path).set('If-None-Match', etag).expect(304);
    expect(notModified.text ?? '').toBe('');
    expect(notModified.headers.etag).toBe(etag);

    const verification = (await request(server()).get(`/verifications/${attestation.number}`).expect(200)).body;
    expect(verification.statusList).toEqual({ url: status.statusListCredential, index, revoked: false });
    expect((await request(server()).get(`/verify/${attestation.number}`).expect(200)).text).toContain(`href="${status.statusListCredential}"`);

    await jury.post(`/enrollments/${id}/blocs/BC01/annulment`, { reason: 'fraud', details: 'fraude avérée' }).expect(200);
    const after = await eventually(async () => {
      const fetched = await fetchList(path, etag);
      expect(fetched.response.status).toBe(200);
      expect(bitOf((fetched.credential!.credentialSubject as { encodedList: string }).encodedList, index)).toBe(1);
      return fetched;
    }, 30_000);
    const newEtag = after.response.headers.etag as string;
    expect(newEtag).not.toBe(etag);
    await request(server()).get(path).set('If-None-Match', newEtag).expect(304);
    // The old tag no longer matches: the list is sent whole.
    expect((await request(server()).get(path).set('If-None-Match', etag).expect(200)).headers.etag).toBe(newEtag);

    expect((await request(server()).get(`/verifications/${attestation.number}`).expect(200)).body).toMatchObject({
      status: 'revoked',
      statusList: { url: status.statusListCredential, index, revoked: true },
    });
  }, 90_000);

  it('an unknown issuer, or a list not opened, is 404 as problem+json', async () => {
    for (const path of [
      '/issuers/someone-else/status/0',
      '/issuers/jalon/status/99',
      '/issuers/jalon/status/abc',
      '/issuers/jalon/status/-1',
      '/issuers/jalon/status/01',
    ]) {
      const response = await request(server()).get(path).expect(404);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body.code).toBe('STATUS_LIST.NOT_FOUND');
    }
  });
});
