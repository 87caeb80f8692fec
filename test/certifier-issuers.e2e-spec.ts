import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { createLocalJWKSet, decodeProtectedHeader, JSONWebKeySet, jwtVerify } from 'jose';
import QRCode from 'qrcode';
import request from 'supertest';
import { Referential } from '@jalon/domain';
import { eventually } from './support/eventually';
import { actor, HttpActor } from './support/http-actors';
import { PathDriver } from './support/path-driver';
import { startTestApp, TestApp } from './support/test-app';

/*
 * Issue 16: the issuer is the certifier. Two certifiers on one instance (CERTIFIERS), each issuing
 * the documents of the référentiel it certifies as itself: its profile and keys under
 * PUBLIC_BASE_URL, its status list, its legal and trade names and its signatory on the PDF; a
 * référentiel no certifier claims is issued by the default issuer. Checked as a verifier would:
 * jose against each issuer's published key set only, the list decoded with node:zlib, the PDF's text
 * read with pdf.js.
 */

const BASE = 'https://certificats.jalon.test';

interface PdfJs {
  getDocument(source: { data: Uint8Array; isEvalSupported: boolean; disableFontFace: boolean; useSystemFonts: boolean; verbosity: number }): {
    promise: Promise<{
      numPages: number;
      getPage(n: number): Promise<{ getTextContent(): Promise<{ items: { str?: string }[] }> }>;
      destroy(): Promise<void>;
    }>;
  };
}
// pdf.js is an ES module: imported by Node itself (Jest runs with --experimental-vm-modules).
const importModule = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<unknown>;

/** The text pdf.js extracts from every page, white space folded. */
async function pdfText(pdf: Buffer): Promise<string> {
  const { getDocument } = (await importModule('pdfjs-dist/legacy/build/pdf.mjs')) as PdfJs;
  const document = await getDocument({ data: new Uint8Array(pdf), isEvalSupported: false, disableFontFace: true, useSystemFonts: false, verbosity: 0 }).promise;
  try {
    let text = '';
    for (let n = 1; n <= document.numPages; n++) for (const item of (await (await document.getPage(n)).getTextContent()).items) text += `${item.str ?? ''} `;
    return text.replace(/[\s\u00a0]+/g, ' ');
  } finally {
    await document.destroy();
  }
}

/** The bit at `index` of an encodedList: `u` + base64url of a GZIP; index 0 the left-most bit of the first byte. */
function bitOf(encodedList: string, index: number): number {
  const bits = gunzipSync(Buffer.from(encodedList.slice(1), 'base64url'));
  return (bits[Math.floor(index / 8)] >> (7 - (index % 8))) & 1;
}

const CERTIFIERS = [
  {
    id: 'ecole-data',
    organisationId: 'org-1',
    legalName: 'École Data SAS',
    tradeName: 'École Data',
    url: 'https://www.ecole-data.fr',
    email: 'certification@ecole-data.fr',
    image: 'https://www.ecole-data.fr/logo.png',
    signatory: { name: 'Claire Martin', capacity: 'Directrice de la certification' },
    certifications: [{ referentialId: 'data-ia-quatre-blocs', type: 'RNCP', code: 'RNCP35288' }],
  },
  {
    id: 'omnes',
    organisationId: 'org-1',
    legalName: 'OMNES Education Group SAS',
    tradeName: 'OMNES Education',
    signatory: { name: 'Paul Durand', capacity: 'Président' },
    certifications: [{ referentialId: 'data-engineer-data-scientist', type: 'RNCP', code: 'RNCP36129' }],
    // Declares its holders too: one list of certifiers for both.
    senderClientId: 'ABCD1234',
    certifierClientId: 'EFGH5678',
    contractId: 'MCFCER000123',
  },
];

describe('each certifier issues its documents as itself; the default issuer the rest (PostgreSQL, Redis)', () => {
  let testApp: TestApp;
  let admin: HttpActor;
  let jury: HttpActor;
  let dir: string;
  const http = () => request(testApp.app.getHttpServer());
  const pathOf = (url: string) => {
    expect(url.startsWith(`${BASE}/`)).toBe(true);
    return new URL(url).pathname;
  };
  const driverOf = async (referentialId: string) => {
    const referential: Referential = (await admin.get(`/referentials/${referentialId}/versions/1`).expect(200)).body;
    return new PathDriver(referential, { admin, jury, assessor: actor(testApp.app, 'assessor'), referent: actor(testApp.app, 'referent') });
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jalon-certifiers-'));
    // Any PNG stands for a scanned signature.
    const signature = join(dir, 'signature.png');
    writeFileSync(signature, await QRCode.toBuffer('signature', { width: 84, margin: 0 }));
    const certifiers = CERTIFIERS.map((c) => (c.id === 'ecole-data' ? { ...c, signatory: { ...c.signatory, signatureImage: signature } } : c));
    testApp = await startTestApp({ PUBLIC_BASE_URL: BASE, CERTIFIERS: JSON.stringify(certifiers) });
    admin = actor(testApp.app, 'admin');
    jury = actor(testApp.app, 'jury');
  }, 60_000);
  afterAll(async () => {
    await testApp?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('names its certifier as issuer, verifies with that issuer’s keys only, lists its bit in that issuer’s list, prints its names and signatory', async () => {
    // One bloc passed on each référentiel, at once: two certifiers' and one no certifier claims.
    const referentials = ['data-ia-quatre-blocs', 'data-engineer-data-scientist', 'expert-en-data-science'];
    const issued = await Promise.all(
      referentials.map(async (referentialId) => {
        const driver = await driverOf(referentialId);
        const enrollmentId = await driver.enroll();
        await driver.passBloc(enrollmentId, 'BC01');
        const document = await eventually(async () => {
          const documents = (await admin.get(`/enrollments/${enrollmentId}/documents`).expect(200)).body as { number: string }[];
          expect(documents).toHaveLength(1);
          return documents[0];
        }, 30_000);
        const jwt = (await admin.get(`/enrollments/${enrollmentId}/documents/${document.number}/credential`).expect(200)).text;
        const pdf = (await admin.get(`/enrollments/${enrollmentId}/documents/${document.number}/pdf`).buffer(true).expect(200)).body as Buffer;
        return { enrollmentId, number: document.number, jwt, pdf };
      }),
    );
    const [ecoleData, omnes, unclaimed] = issued;
    const jwksOf = async (slug: string): Promise<JSONWebKeySet> => (await http().get(`/issuers/${slug}/jwks.json`).expect(200)).body;
    const keySets = { 'ecole-data': await jwksOf('ecole-data'), omnes: await jwksOf('omnes'), jalon: await jwksOf('jalon') };

    const expectations = [
      {
        document: ecoleData,
        slug: 'ecole-data',
        other: 'omnes',
        name: 'École Data SAS',
        printed: ['École Data SAS (École Data)', 'Pour École Data SAS (École Data), Claire Martin, Directrice de la certification'],
      },
      {
        document: omnes,
        slug: 'omnes',
        other: 'ecole-data',
        name: 'OMNES Education Group SAS',
        printed: ['OMNES Education Group SAS (OMNES Education)', 'Pour OMNES Education Group SAS (OMNES Education), Paul Durand, Président'],
      },
    ] as const;
    for (const { document, slug, other, name, printed } of expectations) {
      const issuerId = `${BASE}/issuers/${slug}`;
      // Verified with jose against its issuer's published set alone; the other certifier's set has no key for it.
      const { payload } = await jwtVerify(document.jwt, createLocalJWKSet(keySets[slug]), { algorithms: ['RS256'], issuer: issuerId });
      expect(payload.issuer).toEqual({ id: issuerId, type: ['Profile'], name });
      expect(decodeProtectedHeader(document.jwt).kid).toMatch(new RegExp(`^${issuerId}/keys/[A-Za-z0-9_-]{43}$`));
      await expect(jwtVerify(document.jwt, createLocalJWKSet(keySets[other]), { algorithms: ['RS256'] })).rejects.toThrow();
      await expect(jwtVerify(document.jwt, createLocalJWKSet(keySets.jalon), { algorithms: ['RS256'] })).rejects.toThrow();
      // The issuer id dereferences to its profile, the kid to its key.
      const profile = (await http().get(pathOf(issuerId)).expect(200)).body;
      expect(profile).toMatchObject({ id: issuerId, type: ['Profile'], name });
      expect(
        (
          await http()
            .get(pathOf(decodeProtectedHeader(document.jwt).kid!))
            .expect(200)
        ).body.kid,
      ).toBe(decodeProtectedHeader(document.jwt).kid);
      // Its status list is its issuer's, signed by it.
      const status = payload.credentialStatus as { statusListCredential: string; statusListIndex: string };
      expect(status.statusListCredential).toMatch(new RegExp(`^${issuerId}/status/\\d+$`));
      const list = (await http().get(pathOf(status.statusListCredential)).expect(200)).text;
      const listed = await jwtVerify(list, createLocalJWKSet(keySets[slug]), { algorithms: ['RS256'], issuer: issuerId });
      expect(bitOf((listed.payload.credentialSubject as { encodedList: string }).encodedList, Number(status.statusListIndex))).toBe(0);
      // The PDF prints the certifier's legal and trade names, and its signatory, not the référentiel's certifier.
      const text = await pdfText(document.pdf);
      for (const line of printed) expect(text).toContain(line);
      expect(text).not.toContain('Certificateur non nommé');
      // The verification names the same issuer and certifier.
      const verification = (await http().get(`/verifications/${document.number}`).expect(200)).body;
      expect(verification).toMatchObject({
        status: 'valid',
        checks: { pdfHash: true, credentialHash: true, credentialSignature: true },
        issuer: { id: issuerId, name },
        document: { certifier: name, certifierTradeName: expect.any(String) },
        statusList: { url: status.statusListCredential, index: Number(status.statusListIndex), revoked: false },
      });
      expect((await http().get(`/verify/${document.number}`).expect(200)).text).toContain(`href="${issuerId}/jwks.json"`);
    }
    expect(await jwtVerify(ecoleData.jwt, createLocalJWKSet(keySets['ecole-data']))).toBeDefined();
    // The Open Badges profile carries what the certifier gave.
    expect((await http().get('/issuers/ecole-data').expect(200)).body).toMatchObject({
      url: 'https://www.ecole-data.fr',
      email: 'certification@ecole-data.fr',
      image: { id: 'https://www.ecole-data.fr/logo.png', type: 'Image' },
    });

    // A référentiel no certifier claims: the default issuer, as before; its PDF prints the référentiel's certifier.
    const { payload: defaultPayload } = await jwtVerify(unclaimed.jwt, createLocalJWKSet(keySets.jalon), {
      algorithms: ['RS256'],
      issuer: `${BASE}/issuers/jalon`,
    });
    expect((defaultPayload.issuer as { name: string }).name).toBe('Jalon');
    expect((defaultPayload.credentialStatus as { statusListCredential: string }).statusListCredential).toMatch(/\/issuers\/jalon\/status\/\d+$/);
    expect(await pdfText(unclaimed.pdf)).toContain('OpenClassrooms atteste que');
    expect((await http().get(`/verifications/${unclaimed.number}`).expect(200)).body).toMatchObject({
      status: 'valid',
      issuer: { id: `${BASE}/issuers/jalon`, name: 'Jalon' },
      document: { certifier: 'OpenClassrooms' },
    });
    // The service-wide set has every issuer's keys.
    const everyKid = ((await http().get('/.well-known/jwks.json').expect(200)).body as JSONWebKeySet).keys.map((k) => k.kid);
    for (const set of Object.values(keySets)) for (const key of set.keys) expect(everyKid).toContain(key.kid);

    // Annulled: the bit flips in École Data's list, and École Data's list only.
    const ecoleStatus = (await jwtVerify(ecoleData.jwt, createLocalJWKSet(keySets['ecole-data']))).payload.credentialStatus as {
      statusListCredential: string;
      statusListIndex: string;
    };
    const omnesStatus = (await jwtVerify(omnes.jwt, createLocalJWKSet(keySets.omnes))).payload.credentialStatus as {
      statusListCredential: string;
      statusListIndex: string;
    };
    await jury.post(`/enrollments/${ecoleData.enrollmentId}/blocs/BC01/annulment`, { reason: 'fraud', details: 'fraude avérée' }).expect(200);
    await eventually(async () => {
      const list = (await http().get(pathOf(ecoleStatus.statusListCredential)).expect(200)).text;
      const { payload } = await jwtVerify(list, createLocalJWKSet(keySets['ecole-data']), { algorithms: ['RS256'], issuer: `${BASE}/issuers/ecole-data` });
      expect(bitOf((payload.credentialSubject as { encodedList: string }).encodedList, Number(ecoleStatus.statusListIndex))).toBe(1);
    }, 30_000);
    const omnesList = (await http().get(pathOf(omnesStatus.statusListCredential)).expect(200)).text;
    const { payload: omnesListed } = await jwtVerify(omnesList, createLocalJWKSet(keySets.omnes), { algorithms: ['RS256'] });
    expect(bitOf((omnesListed.credentialSubject as { encodedList: string }).encodedList, Number(omnesStatus.statusListIndex))).toBe(0);
    expect((await http().get(`/verifications/${ecoleData.number}`).expect(200)).body).toMatchObject({
      status: 'revoked',
      issuer: { id: `${BASE}/issuers/ecole-data` },
      statusList: { revoked: true },
    });
  }, 120_000);

  it('the accrochage takes the certifiers that give their CDC ids from the same list', async () => {
    const holders = await admin.get('/accrochage/certifiers/omnes/holders');
    expect(holders.status).toBe(200);
    expect((await admin.get('/accrochage/certifiers/ecole-data/holders')).status).toBe(404);
  });
});
