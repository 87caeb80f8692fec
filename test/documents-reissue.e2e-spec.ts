import { createHash } from 'node:crypto';
import { decodeProtectedHeader } from 'jose';
import request from 'supertest';
import { Referential } from '@jalon/domain';
import { DocumentStorage, IssuerKeyRing } from '@jalon/issuance';
import { DOCUMENT_STORAGE, EVENT_STORE as EventStoreToken } from '@jalon/runtime';
import { EventStore } from '@jalon/event-store';
import { eventually } from './support/eventually';
import { actor, HttpActor } from './support/http-actors';
import { PathDriver } from './support/path-driver';
import { runCli } from './support/run-cli';
import { startTestApp, TestApp } from './support/test-app';

const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

/**
 * Issue 16: schools replace the documents issued before a change (the Unicode font, the RS256
 * keys) with `npm run cli -- documents reissue --reason …`: same number, a new version recorded
 * as an event, verified from then on; the first version's files stay archived.
 */
describe('documents reissued under their number, as a new version (PostgreSQL, Redis)', () => {
  let testApp: TestApp;
  let admin: HttpActor;
  let jury: HttpActor;
  let driver: PathDriver;
  const http = () => request(testApp.app.getHttpServer());

  const cli = (args: string[]) => runCli(testApp, args);

  beforeAll(async () => {
    testApp = await startTestApp();
    admin = actor(testApp.app, 'admin');
    jury = actor(testApp.app, 'jury');
    const referential: Referential = (await admin.get('/referentials/data-ia-quatre-blocs/versions/1').expect(200)).body;
    driver = new PathDriver(referential, { admin, jury, assessor: actor(testApp.app, 'assessor'), referent: actor(testApp.app, 'referent') });
  }, 60_000);
  afterAll(() => testApp?.close());

  it('re-renders every document that changed, records its next version once, serves and verifies it, and leaves the revoked ones', async () => {
    const enrollmentId = await driver.enroll();
    await driver.passBloc(enrollmentId, 'BC01');
    await driver.passBloc(enrollmentId, 'BC02');
    const documents = await eventually(async () => {
      const listed = (await admin.get(`/enrollments/${enrollmentId}/documents`).expect(200)).body as { number: string; blocCode?: string }[];
      expect(listed.map((d) => d.blocCode).sort()).toEqual(['BC01', 'BC02']);
      return listed;
    }, 30_000);
    const bc01 = documents.find((d) => d.blocCode === 'BC01')!.number;
    const bc02 = documents.find((d) => d.blocCode === 'BC02')!.number;
    const credentialOf = async (number: string) => (await admin.get(`/enrollments/${enrollmentId}/documents/${number}/credential`).expect(200)).text;
    const before = await credentialOf(bc01);

    // Nothing changed since they were issued: nothing to reissue.
    const idle = await cli(['documents', 'reissue', '--reason', 'vérification']);
    expect({ code: idle.code, stderr: idle.stderr }).toEqual({ code: 0, stderr: '' });
    expect(idle.stdout).toContain('documents: 0 reissued, 2 unchanged, 0 revoked');

    // BC02 is annulled (its attestation revoked); then the issuer's key is rotated, so the other renders anew.
    await jury.post(`/enrollments/${enrollmentId}/blocs/BC02/annulment`, { reason: 'fraud', details: 'fraude avérée' }).expect(200);
    await eventually(async () => expect((await http().get(`/verifications/${bc02}`).expect(200)).body.status).toBe('revoked'), 30_000);
    await testApp.app.get(IssuerKeyRing).rotate('jalon');
    await expect(cli(['documents', 'reissue'])).resolves.toMatchObject({ code: 2, stderr: expect.stringContaining('--reason') });

    const run = await cli(['documents', 'reissue', '--reason', 'Nouvelle clé de signature']);
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    expect(run.stdout).toContain(`${bc01} reissued`);
    expect(run.stdout).toContain('documents: 1 reissued, 0 unchanged, 1 revoked');

    // The same number now serves the new version, signed with the new key, and verifies against it.
    const after = await credentialOf(bc01);
    expect(after).not.toBe(before);
    expect(decodeProtectedHeader(after).kid).not.toBe(decodeProtectedHeader(before).kid);
    const verification = (await http().get(`/verifications/${bc01}`).expect(200)).body;
    expect(verification).toMatchObject({
      status: 'valid',
      version: 2,
      reissuedAt: expect.any(String),
      checks: { pdfHash: true, credentialHash: true, credentialSignature: true },
    });
    const pdf = (await admin.get(`/enrollments/${enrollmentId}/documents/${bc01}/pdf`).buffer(true).expect(200)).body as Buffer;
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');

    // Recorded once, with its reason and the new files' hashes; the first version's files are kept.
    const stream = await testApp.app.get<EventStore>(EventStoreToken).readStream(`enrollment-${enrollmentId}`);
    const recorded = stream.filter((e) => e.type === 'DocumentReissued').map((e) => e.data);
    expect(recorded).toEqual([
      expect.objectContaining({
        reissue: { number: bc01, version: 2, pdfSha256: sha256(pdf), credentialSha256: sha256(after), reason: 'Nouvelle clé de signature' },
      }),
    ]);
    // An auditor tracing the bloc reads the reissue beside the issue, and which version stands.
    const provenance = (await actor(testApp.app, 'auditor', 'auditor-1', 'cnc').get(`/enrollments/${enrollmentId}/blocs/BC01/provenance`).expect(200)).body;
    expect(provenance.history.filter((item: { type: string }) => item.type.startsWith('Document')).map((item: { type: string }) => item.type)).toEqual([
      'DocumentIssued',
      'DocumentReissued',
    ]);
    expect(provenance.attestations).toEqual([expect.objectContaining({ number: bc01, status: 'valid', version: 2 })]);
    const storage = testApp.app.get<DocumentStorage>(DOCUMENT_STORAGE);
    expect((await storage.get(bc01, 'credential', 1))?.toString()).toBe(before);
    const again = await cli(['documents', 'reissue', '--reason', 'Nouvelle clé de signature', '--number', bc01]);
    expect(again.stdout).toContain('documents: 0 reissued, 1 unchanged');
    const unknown = await cli(['documents', 'reissue', '--reason', 'x', '--number', 'JAL-A-00000000000']);
    expect(unknown).toMatchObject({ code: 1, stderr: expect.stringContaining('no document JAL-A-00000000000') });
    expect(sha256(after)).toBe(sha256((await admin.get(`/enrollments/${enrollmentId}/documents/${bc01}/credential`).expect(200)).text));
  }, 240_000);
});
