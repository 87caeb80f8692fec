import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import request from 'supertest';
import { Referential } from '@jalon/domain';
import { Storage } from '@jalon/event-store';
import {
  connect,
  identityHash,
  ISSUANCE_QUEUE,
  Issuance,
  IssuanceQueue,
  nameIdentity,
  reconcileIssuance,
  startIssuanceWorker,
  verifyCredential,
} from '@jalon/issuance';
import { pdfText, withInflatedContent } from '@jalon/issuance/render/testing/pdf-inspection';
import { STORAGE } from '@jalon/runtime';
import { eventually } from './support/eventually';
import { actor, HttpActor } from './support/http-actors';
import { PathDriver } from './support/path-driver';
import { settle } from './support/settle';
import { startTestAppWithOwnRedis, TestApp } from './support/test-app';
import { REDIS_TEST_DATABASES, redisTestUrl } from '@jalon/issuance/testing/redis-test-databases';

describe('issuance: attestations and certificates anyone can verify, issued once (PostgreSQL, Redis)', () => {
  let testApp: TestApp & { redis: Redis };
  let admin: HttpActor;
  let jury: HttpActor;
  let driver: PathDriver;

  const documentsOf = (id: string) =>
    admin
      .get(`/enrollments/${id}/documents`)
      .expect(200)
      .then((r) => r.body as { number: string; kind: string; blocCode?: string; status: string }[]);
  const until = <T>(check: () => Promise<T>) => eventually(check, 30_000);

  beforeAll(async () => {
    testApp = await startTestAppWithOwnRedis(REDIS_TEST_DATABASES.issuanceE2e, { PUBLIC_BASE_URL: 'https://jalon.example.org' });
    admin = actor(testApp.app, 'admin');
    jury = actor(testApp.app, 'jury');
    const referential: Referential = (await admin.get('/referentials/data-ia-quatre-blocs/versions/1').expect(200)).body;
    driver = new PathDriver(referential, { admin, jury, assessor: actor(testApp.app, 'assessor'), referent: actor(testApp.app, 'referent') });
  }, 60_000);
  afterAll(() => testApp?.close());

  it('a validated bloc gets its attestation: verifiable by anyone, signed, its files matching their hashes', async () => {
    const id = await driver.enroll();
    await driver.passBloc(id, 'BC01');
    const [attestation] = await until(async () => {
      const documents = await documentsOf(id);
      expect(documents).toHaveLength(1);
      return documents;
    });
    expect(attestation).toMatchObject({ kind: 'attestation', blocCode: 'BC01', status: 'valid' });
    const server = testApp.app.getHttpServer();
    const verification = (await request(server).get(`/verifications/${attestation.number}`).expect(200)).body;
    expect(verification).toMatchObject({
      status: 'valid',
      kind: 'attestation',
      checks: { pdfHash: true, credentialHash: true, credentialSignature: true },
      document: { bloc: { code: 'BC01' } },
    });
    const page = await request(server).get(`/verify/${attestation.number}`).expect(200);
    expect(page.text).toContain('Document authentique et valide');
    expect((await request(server).get('/verifications/JAL-A-0000000000A').expect(200)).body.status).toBe('unknown');

    // Offline: the credential verifies with the published key alone.
    const credential = (await admin.get(`/enrollments/${id}/documents/${attestation.number}/credential`).expect(200)).text;
    const { publicKey } = (await request(server).get('/issuer').expect(200)).body;
    const { createPublicKey } = await import('node:crypto');
    const pem = createPublicKey({ key: publicKey, format: 'jwk' }).export({ type: 'spki', format: 'pem' }).toString();
    expect(verifyCredential(credential, pem).valid).toBe(true);
    const pdf = await admin.get(`/enrollments/${id}/documents/${attestation.number}/pdf`).expect(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.body.subarray(0, 5).toString()).toBe('%PDF-');

    // A file altered on disk no longer verifies.
    writeFileSync(join(testApp.config.documentsDir, `${attestation.number}.pdf`), Buffer.from('%PDF-1.7 forged'));
    expect((await request(server).get(`/verifications/${attestation.number}`).expect(200)).body).toMatchObject({
      status: 'invalid',
      checks: { pdfHash: false },
    });
  }, 60_000);

  it('the certificate follows the award; an annulment revokes the attestation and the certificate, which then say so', async () => {
    const id = await driver.enroll();
    for (const bloc of ['BC01', 'BC02', 'BC03', 'BC04']) await driver.passBloc(id, bloc);
    await jury.post(`/enrollments/${id}/final-decision`, { decision: 'awarded', place: 'Lille' }).expect(200);
    const documents = await until(async () => {
      const all = await documentsOf(id);
      expect(all).toHaveLength(5);
      return all;
    });
    const certificate = documents.find((d) => d.kind === 'certificate')!;
    const bc02 = documents.find((d) => d.blocCode === 'BC02')!;
    await jury.post(`/enrollments/${id}/blocs/BC02/annulment`, { reason: 'fraud', details: 'fraude avérée' }).expect(200);
    await until(async () => {
      const all = await documentsOf(id);
      expect(
        all
          .filter((d) => d.status === 'revoked')
          .map((d) => d.number)
          .sort(),
      ).toEqual([bc02.number, certificate.number].sort());
    });
    const server = testApp.app.getHttpServer();
    const verification = (await request(server).get(`/verifications/${certificate.number}`).expect(200)).body;
    expect(verification).toMatchObject({ status: 'revoked', revocation: { reasonCategory: 'certification-revoked' }, document: { decisionPlace: 'Lille' } });
    expect(JSON.stringify(verification)).not.toContain('fraude');
    const revokedPdf = await admin.get(`/enrollments/${id}/documents/${certificate.number}/pdf`).expect(200);
    expect(revokedPdf.headers['jalon-document-status']).toBe('revoked');
    expect((await request(server).get(`/verify/${bc02.number}`).expect(200)).text).toContain('Document révoqué');
  }, 90_000);

  it('annulling a carried bloc revokes the attestation it rests on, the source enrollment’s (R13)', async () => {
    const expert: Referential = (await admin.get('/referentials/expert-en-data-science/versions/1').expect(200)).body;
    const source = new PathDriver(expert, driver.actors);
    const old = await source.enroll();
    for (const bloc of ['BC01', 'BC02']) await source.passBloc(old, bloc);
    const attestations = await until(async () => {
      const all = await documentsOf(old);
      expect(all.map((d) => [d.blocCode, d.status]).sort()).toEqual([
        ['BC01', 'valid'],
        ['BC02', 'valid'],
      ]);
      return all;
    });
    const bc01 = attestations.find((d) => d.blocCode === 'BC01')!;
    const bc02 = attestations.find((d) => d.blocCode === 'BC02')!;
    const carriedBlocs = [
      { fromBloc: 'BC01', toBloc: 'BC01' },
      { fromBloc: 'BC02', toBloc: 'BC02' },
    ];
    const moved = (await admin.post(`/enrollments/${old}/transfer`, { toReferentialId: 'data-ia-quatre-blocs', toVersion: '1', carriedBlocs }).expect(201)).body
      .id as string;

    await jury.post(`/enrollments/${moved}/blocs/BC01/annulment`, { reason: 'fraud', details: 'x' }).expect(200);
    // The source is closed: the annulment is the new enrollment's to record.
    expect((await jury.post(`/enrollments/${old}/blocs/BC01/annulment`, { reason: 'fraud', details: 'x' }).expect(409)).body.code).toBe(
      'ENROLLMENT.TRANSFERRED',
    );
    const server = testApp.app.getHttpServer();
    await until(async () =>
      expect((await request(server).get(`/verifications/${bc01.number}`).expect(200)).body).toMatchObject({
        status: 'revoked',
        revocation: { reasonCategory: 'bloc-annulled' },
      }),
    );
    // The other carried bloc stands, and so does its attestation.
    expect((await request(server).get(`/verifications/${bc02.number}`).expect(200)).body.status).toBe('valid');
    expect((await documentsOf(old)).map((d) => [d.blocCode, d.status]).sort()).toEqual([
      ['BC01', 'revoked'],
      ['BC02', 'valid'],
    ]);
  }, 90_000);

  it('the PDF, the credential and both verification answers name the holder alike: prénoms, NOM DE NAISSANCE, then the nom d’usage', async () => {
    const candidateId = (
      await admin
        .post('/candidates', {
          birthName: 'Martin',
          usageName: 'Durand',
          firstNames: ['Léa', 'Marie'],
          birthDate: '2001-03-14',
          sex: 'F',
          birthPlace: 'Lyon (69)',
          email: 'lea.durand@example.org',
        })
        .expect(201)
    ).body.id;
    const id = await driver.enroll({ candidateId });
    await driver.passBloc(id, 'BC01');
    const [attestation] = await until(async () => {
      const documents = await documentsOf(id);
      expect(documents).toHaveLength(1);
      return documents;
    });
    const server = testApp.app.getHttpServer();
    const { document } = (await request(server).get(`/verifications/${attestation.number}`).expect(200)).body;
    expect(document).toMatchObject({ holder: 'Léa Marie MARTIN', holderUsageName: 'DURAND' });

    // The PDF as delivered prints that name, and the nom d'usage right under it.
    const pdf = (await admin.get(`/enrollments/${id}/documents/${attestation.number}/pdf`).expect(200)).body as Buffer;
    expect(pdfText(withInflatedContent(pdf))).toContain(`atteste que ${document.holder} nom d’usage : ${document.holderUsageName} né(e) le`);
    // The credential's identity hash is of that very name: a verifier who reads it on the page can check it.
    const jwt = (await admin.get(`/enrollments/${id}/documents/${attestation.number}/credential`).expect(200)).text;
    const [identity] = JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8')).credentialSubject.identifier;
    expect(identity.identityHash).toBe(identityHash(nameIdentity(document.holder), identity.salt));
    // The page shows the same lines.
    const page = (await request(server).get(`/verify/${attestation.number}`).expect(200)).text;
    expect(page).toContain(`<th>Titulaire</th><td>${document.holder}<br>nom d’usage\u00A0: ${document.holderUsageName}</td>`);
  }, 60_000);

  it('after an erasure: the verification keeps its shape and still answers, downloads say the files went with the data, and a later decision says it is not issued', async () => {
    const dpo = actor(testApp.app, 'dpo');
    const candidateId = (
      await admin
        .post('/candidates', {
          birthName: 'Lefèvre',
          usageName: 'Garçon',
          firstNames: ['Anaïs'],
          birthDate: '1998-03-01',
          sex: 'F',
          birthPlace: 'Lille (59)',
          email: 'anais@example.org',
        })
        .expect(201)
    ).body.id;
    const id = await driver.enroll({ candidateId });
    await driver.passBloc(id, 'BC01');
    const [bc01] = await until(async () => {
      const documents = await documentsOf(id);
      expect(documents).toHaveLength(1);
      return documents;
    });
    const server = testApp.app.getHttpServer();
    const before = (await request(server).get(`/verifications/${bc01.number}`).expect(200)).body;
    expect(typeof before.document.holder).toBe('string');
    await dpo.post(`/candidates/${candidateId}/erasure`).expect(200);

    // The same shape, holder null: valid still, with nothing left to check the files against.
    const after = (await request(server).get(`/verifications/${bc01.number}`).expect(200)).body;
    const { holder: _name, holderUsageName: _usage, ...rest } = before.document;
    expect(after).toMatchObject({ status: 'valid', holderErased: true, document: { ...rest, holder: null } });
    expect(Object.keys(after.document).sort()).toEqual(Object.keys({ ...rest, holder: null }).sort());
    expect(after).not.toHaveProperty('checks');
    expect(JSON.stringify(after)).not.toMatch(/Lefèvre|LEFÈVRE|Anaïs|GARÇON/i);
    const page = (await request(server).get(`/verify/${bc01.number}`).expect(200)).text;
    expect(page).toContain('Document authentique et valide');
    expect(page).toContain('Données personnelles effacées à la demande du titulaire');

    // The PDF and the credential answer alike: the files were deleted with the holder's personal data.
    const downloads = [
      await admin.get(`/enrollments/${id}/documents/${bc01.number}/pdf`),
      await admin.get(`/enrollments/${id}/documents/${bc01.number}/credential`),
    ];
    for (const answer of downloads) {
      expect(answer.status).toBe(410);
      expect(answer.headers['content-type']).toContain('application/problem+json');
      expect(answer.body).toMatchObject({ status: 410, code: 'DOCUMENT.ERASED', detail: expect.stringContaining('deleted with its holder’s personal data') });
    }
    expect(downloads[1].body).toEqual(downloads[0].body);
    // An unknown number is still just not found.
    expect((await admin.get(`/enrollments/${id}/documents/JAL-A-0000000000/pdf`).expect(404)).body.code).toBe('DOCUMENT.NOT_FOUND');

    // A bloc validated after the erasure: decided, but no document can name an erased holder — and that is said.
    await driver.passBloc(id, 'BC02');
    expect((await documentsOf(id)).filter((d) => d.blocCode === 'BC02')).toEqual([
      { kind: 'attestation', blocCode: 'BC02', decidedAt: expect.any(String), status: 'not-issued', reason: 'holder-erased' },
    ]);
    type NotIssued = { enrollmentId: string; kind: string; blocCode?: string; decisionEventId: string; status: string; reason: string };
    const notIssuedFor = async (reader: HttpActor) =>
      ((await reader.get('/admin/issuance').expect(200)).body.notIssued as NotIssued[]).filter((d) => d.enrollmentId === id);
    const [entry] = await until(async () => {
      const entries = await notIssuedFor(admin);
      expect(entries).toEqual([
        { enrollmentId: id, kind: 'attestation', blocCode: 'BC02', decisionEventId: expect.any(String), status: 'not-issued', reason: 'holder-erased' },
      ]);
      return entries;
    });
    expect(await notIssuedFor(actor(testApp.app, 'auditor', 'auditor-1', 'cnc'))).toEqual([entry]);
    // The path and the bloc's provenance say it too.
    await until(async () =>
      expect((await admin.get(`/enrollments/${id}`).expect(200)).body.documents.filter((d: { blocCode?: string }) => d.blocCode === 'BC02')).toEqual([
        { kind: 'attestation', blocCode: 'BC02', decidedAt: expect.any(String), status: 'not-issued', reason: 'holder-erased' },
      ]),
    );
    const provenance = (await actor(testApp.app, 'auditor', 'auditor-1', 'cnc').get(`/enrollments/${id}/blocs/BC02/provenance`).expect(200)).body;
    expect(provenance.attestations).toEqual([
      expect.objectContaining({ kind: 'attestation', blocCode: 'BC02', status: 'not-issued', reason: 'holder-erased' }),
    ]);
    expect(await notIssuedFor(actor(testApp.app, 'admin', 'admin-2', 'org-2'))).toEqual([]);
    // Its job finds the holder erased, and issues nothing.
    expect(await testApp.app.get(Issuance).issue({ kind: 'attestation', enrollmentId: id, decisionEventId: entry.decisionEventId })).toBe('holder-erased');

    // An annulment still revokes, and the verification still says so.
    await jury.post(`/enrollments/${id}/blocs/BC01/annulment`, { reason: 'fraud', details: 'x' }).expect(200);
    await until(async () =>
      expect((await request(server).get(`/verifications/${bc01.number}`).expect(200)).body).toMatchObject({
        status: 'revoked',
        holderErased: true,
        document: { holder: null },
      }),
    );
    expect((await admin.get(`/enrollments/${id}/documents/${bc01.number}/pdf`).expect(410)).body.code).toBe('DOCUMENT.ERASED');
  }, 90_000);

  it('the same decision delivered twice produces one document', async () => {
    const id = await driver.enroll();
    await driver.passBloc(id, 'BC03');
    const [document] = await until(async () => {
      const all = await documentsOf(id);
      expect(all).toHaveLength(1);
      return all;
    });
    const storage = testApp.app.get<Storage>(STORAGE);
    const issued = (await storage.store.readStream(`enrollment-${id}`)).filter((e) => e.type === 'DocumentIssued');
    const decisionEventId = (issued[0].data as { document: { decisionEventId: string } }).document.decisionEventId;
    const issuance = testApp.app.get(Issuance);
    expect(await issuance.issue({ kind: 'attestation', enrollmentId: id, decisionEventId })).toBe('already-issued');
    await testApp.app.get(IssuanceQueue).enqueue({ type: 'issue', job: { kind: 'attestation', enrollmentId: id, decisionEventId } });
    await new Promise((r) => setTimeout(r, 500));
    expect((await storage.store.readStream(`enrollment-${id}`)).filter((e) => e.type === 'DocumentIssued')).toHaveLength(1);
    expect((await documentsOf(id)).map((d) => d.number)).toEqual([document.number]);
  }, 60_000);

  it('the failed jobs an admin sees are those of their organisation’s enrollments; an auditor sees all', async () => {
    const other = actor(testApp.app, 'admin', 'admin-2', 'org-2');
    const enrollIn = async (admin: HttpActor) => {
      const candidateId = (
        await admin
          .post('/candidates', {
            birthName: 'Durand',
            firstNames: ['Inès'],
            birthDate: '2000-05-02',
            sex: 'F',
            birthPlace: 'Nantes (44)',
            email: 'ines@example.org',
          })
          .expect(201)
      ).body.id;
      return (
        await admin
          .post('/enrollments', { candidateId, referentialId: 'data-ia-quatre-blocs', version: '1', cohort: '2026-A', accessRoute: 'vae', optionBlocs: [] })
          .expect(201)
      ).body.id as string;
    };
    const ours = await enrollIn(admin);
    const theirs = await enrollIn(other);
    await settle(testApp.app);
    // A job for a decision that is not in the enrollment fails; once, here, so it fails for good at once.
    const queue = new Queue(ISSUANCE_QUEUE, { connection: testApp.redis, prefix: testApp.config.redisPrefix });
    try {
      for (const enrollmentId of [ours, theirs])
        await queue.add('issue', { type: 'issue', job: { kind: 'attestation', enrollmentId, decisionEventId: randomUUID() } }, { attempts: 1 });
    } finally {
      await queue.close();
    }
    const failedFor = async (reader: HttpActor) =>
      ((await reader.get('/admin/issuance').expect(200)).body.failed as { data: { job: { enrollmentId: string } } }[]).map((f) => f.data.job.enrollmentId);
    await until(async () => expect(await failedFor(actor(testApp.app, 'auditor', 'auditor-1', 'cnc'))).toEqual(expect.arrayContaining([ours, theirs])));
    expect(await failedFor(admin)).toContain(ours);
    expect(await failedFor(admin)).not.toContain(theirs);
    expect(await failedFor(other)).toEqual([theirs]);
  }, 60_000);
});

describe('issuance after Redis lost its data (FLUSHDB): the reconciler issues every pending decision', () => {
  let testApp: TestApp & { redis: Redis };

  beforeAll(async () => {
    // No issuance worker in the api: decisions pile up in the queue.
    testApp = await startTestAppWithOwnRedis(REDIS_TEST_DATABASES.issuanceAfterRedisLoss, { RUN_ISSUANCE: 'false' });
  }, 60_000);
  afterAll(() => testApp?.close());

  it('wipes the queued jobs, then the reconciler finds each decision without its document and it is issued once', async () => {
    const admin = actor(testApp.app, 'admin');
    const referential: Referential = (await admin.get('/referentials/data-ia-quatre-blocs/versions/1').expect(200)).body;
    const driver = new PathDriver(referential, {
      admin,
      jury: actor(testApp.app, 'jury'),
      assessor: actor(testApp.app, 'assessor'),
      referent: actor(testApp.app, 'referent'),
    });
    const ids = [await driver.enroll(), await driver.enroll()];
    for (const id of ids) for (const bloc of ['BC01', 'BC02']) await driver.passBloc(id, bloc);
    const queue = testApp.app.get(IssuanceQueue);
    await eventually(async () => expect((await queue.counts()).waiting).toBe(4), 30_000);

    await testApp.redis.flushdb();
    expect((await queue.counts()).waiting).toBe(0);

    const storage = testApp.app.get<Storage>(STORAGE);
    const reconciled = await reconcileIssuance(storage.sql.db, (jobs) => queue.enqueueAll(jobs));
    expect(reconciled).toEqual({ issue: 4, revoke: 0 });
    // A second pass before the worker runs enqueues the same jobs again: one job per decision.
    await reconcileIssuance(storage.sql.db, (jobs) => queue.enqueueAll(jobs));
    expect((await queue.counts()).waiting).toBe(4);

    const connection = connect({ url: redisTestUrl(REDIS_TEST_DATABASES.issuanceAfterRedisLoss) });
    const worker = startIssuanceWorker(
      (data) => (data.type === 'issue' ? testApp.app.get(Issuance).issue(data.job) : testApp.app.get(Issuance).revoke(data.job)),
      connection,
      { url: redisTestUrl(REDIS_TEST_DATABASES.issuanceAfterRedisLoss), prefix: testApp.config.redisPrefix },
    );
    try {
      await eventually(async () => {
        for (const id of ids) {
          const issued = (await storage.store.readStream(`enrollment-${id}`)).filter((e) => e.type === 'DocumentIssued');
          expect(issued).toHaveLength(2);
        }
      }, 30_000);
    } finally {
      await worker.close();
      connection.disconnect();
    }
  }, 90_000);
});
