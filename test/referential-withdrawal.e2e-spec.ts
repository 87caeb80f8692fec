import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INestApplication } from '@nestjs/common';
import { Referential, referentialStreamId } from '@jalon/domain';
import { sql } from 'kysely';
import { EventStore, Storage } from '@jalon/event-store';
import { EVENT_STORE, STORAGE } from '@jalon/runtime';
import { createApp } from '../apps/api/src/create-app';
import { actor, HttpActor, registerCandidate } from './support/http-actors';
import { PathDriver } from './support/path-driver';
import { startTestApp, TestApp } from './support/test-app';

const REFERENTIAL = 'data-ia-quatre-blocs';
const REASON = 'Remplacée par la version 3 (nouvel arrêté d’enregistrement)';

/**
 * Issue 15 over HTTP: an admin withdraws a published version from new enrollments, saying why. The
 * catalogue shows it withdrawn; enrolling or transferring onto it is refused, on this instance and
 * on another one behind the same database; the enrollments already pinned to it go on.
 */
describe('withdrawing a référentiel version from new enrollments (PostgreSQL, two api instances)', () => {
  let first: TestApp;
  let second: INestApplication;
  let secondDir: string;
  let store: EventStore;
  let admin: HttpActor;
  let jury: HttpActor;
  let otherAdmin: HttpActor;
  let v2: Referential;
  let pinned: string;
  let onV1: string;

  const enrollBody = async (version: string) => ({
    candidateId: await registerCandidate(admin),
    referentialId: REFERENTIAL,
    version,
    cohort: '2026-B',
    accessRoute: 'formation-continue',
    optionBlocs: [],
  });
  const withdrawal = (version: string) => `/referentials/${REFERENTIAL}/versions/${version}/withdrawal`;
  const referentialEvents = async () =>
    (await store.readStream(referentialStreamId(REFERENTIAL))).map((e) => `${e.type} ${(e.data as { version: string }).version}`);
  // Counted in the table, not read from the log: the log holds back what commits behind a transaction still open (a projection's batch).
  const enrollmentsCreated = async () =>
    Number(
      (
        await sql<{ n: string }>`SELECT count(*)::text AS n FROM events WHERE event_type IN ('CandidateEnrolled', 'EnrolledByTransfer')`.execute(
          first.app.get<Storage>(STORAGE).sql.db,
        )
      ).rows[0].n,
    );

  beforeAll(async () => {
    first = await startTestApp();
    secondDir = mkdtempSync(join(tmpdir(), 'jalon-e2e-'));
    // The same database, secret and master keys; no projections or issuance of its own.
    second = await createApp({ ...first.config, runProjections: false, runIssuance: false, dataDir: secondDir, documentsDir: join(secondDir, 'documents') });
    await second.init();
    store = first.app.get<EventStore>(EVENT_STORE);
    admin = actor(first.app, 'admin');
    jury = actor(first.app, 'jury');
    otherAdmin = actor(second, 'admin');
    // Version 2: the shipped file, renumbered; it is the one withdrawn.
    const v1 = readFileSync(join(__dirname, `../referentials/${REFERENTIAL}@1.yaml`), 'utf8');
    await admin.post('/referentials', { content: v1.replace(/^version: .*$/m, 'version: "2"') }).expect(201);
    v2 = (await admin.get(`/referentials/${REFERENTIAL}/versions/2`).expect(200)).body;
    // Enrolled on version 2 before it is withdrawn, on each instance: each has read the référentiel's stream since.
    pinned = (await admin.post('/enrollments', await enrollBody('2')).expect(201)).body.id;
    await otherAdmin.post('/enrollments', await enrollBody('2')).expect(201);
    onV1 = (await admin.post('/enrollments', await enrollBody('1')).expect(201)).body.id;
  });
  afterAll(async () => {
    await second?.close();
    await first?.close();
    rmSync(secondDir, { recursive: true, force: true });
  });

  it('is refused to a jury (403), without a reason (400), on an unknown version (404): nothing is recorded', async () => {
    const before = await referentialEvents();
    expect(await jury.post(withdrawal('2'), { reason: REASON }).expect(403)).toMatchObject({ body: { code: 'AUTH.ROLE_NOT_ALLOWED' } });
    const missing = await admin.post(withdrawal('2'), {}).expect(400);
    expect(missing.body).toMatchObject({ code: 'REQUEST.INVALID', errors: expect.arrayContaining([expect.objectContaining({ field: 'reason' })]) });
    expect((await admin.post(withdrawal('2'), { reason: '   ' }).expect(400)).body.code).toBe('REQUEST.INVALID');
    expect((await admin.post(withdrawal('9'), { reason: REASON }).expect(404)).body).toMatchObject({ code: 'REFERENTIAL.NOT_FOUND', status: 404 });
    expect((await admin.post(`/referentials/nulle-part/versions/1/withdrawal`, { reason: REASON }).expect(404)).body.code).toBe('REFERENTIAL.NOT_FOUND');
    expect(await referentialEvents()).toEqual(before);
    expect((await admin.get('/referentials').expect(200)).body.some((r: { withdrawn?: unknown }) => r.withdrawn)).toBe(false);
  });

  it('an admin withdraws it, saying why: recorded once, listed as withdrawn on both instances; a second withdrawal is 409', async () => {
    const outcome = (await admin.post(withdrawal('2'), { reason: REASON }).expect(200)).body;
    expect(outcome).toMatchObject({ streamId: `referential-${REFERENTIAL}`, events: ['ReferentialVersionWithdrawn'], position: expect.any(String) });
    const [recorded] = (await store.readStream(referentialStreamId(REFERENTIAL))).filter((e) => e.type === 'ReferentialVersionWithdrawn');
    expect(recorded.data).toEqual({ referentialId: REFERENTIAL, version: '2', reason: REASON, by: { id: admin.id, role: 'admin' }, at: expect.any(String) });
    const at = (recorded.data as { at: string }).at;
    // The other instance read the référentiel's stream before the withdrawal; its very next decision sees it.
    expect((await otherAdmin.post('/enrollments', await enrollBody('2')).expect(409)).body.code).toBe('ENROLLMENT.VERSION_WITHDRAWN');

    for (const app of [first.app, second]) {
      const listed = (await actor(app, 'auditor').get(`/referentials?consistentWith=${outcome.position}`).expect(200)).body as {
        referential: string;
        version: string;
        withdrawn?: unknown;
      }[];
      const ours = listed.filter((r) => r.referential === REFERENTIAL);
      expect(ours.map((r) => [r.version, r.withdrawn])).toEqual([
        ['1', undefined],
        ['2', { at, reason: REASON }],
      ]);
      expect((await actor(app, 'auditor').get(`/referentials/${REFERENTIAL}/versions/2`).expect(200)).body.withdrawn).toEqual({ at, reason: REASON });
      expect((await actor(app, 'auditor').get(`/referentials/${REFERENTIAL}/versions/1`).expect(200)).body.withdrawn).toBeUndefined();
    }

    const again = await otherAdmin.post(withdrawal('2'), { reason: 'encore' }).expect(409);
    expect(again.body).toMatchObject({ code: 'REFERENTIAL.VERSION_ALREADY_WITHDRAWN', withdrawnAt: at });
    expect((await referentialEvents()).filter((e) => e.startsWith('ReferentialVersionWithdrawn'))).toEqual(['ReferentialVersionWithdrawn 2']);
  });

  it('enrolling on it is refused (409 ENROLLMENT.VERSION_WITHDRAWN) on either instance, and transferring onto it too: nothing is written', async () => {
    const created = await enrollmentsCreated();
    for (const caller of [admin, otherAdmin]) {
      const refused = await caller.post('/enrollments', await enrollBody('2')).expect(409);
      expect(refused.body).toMatchObject({ code: 'ENROLLMENT.VERSION_WITHDRAWN', status: 409 });
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    const transfer = { toReferentialId: REFERENTIAL, toVersion: '2', carriedBlocs: [] };
    expect((await otherAdmin.post(`/enrollments/${onV1}/transfer`, transfer).expect(409)).body.code).toBe('ENROLLMENT.VERSION_WITHDRAWN');
    expect((await store.readStream(`enrollment-${onV1}`)).map((e) => e.type)).toEqual(['CandidateEnrolled']);
    expect(await enrollmentsCreated()).toBe(created);
    // The other versions take new enrollments as before.
    await admin.post('/enrollments', await enrollBody('1')).expect(201);
  });

  it('an enrollment pinned to it before goes on: a sitting is scheduled, held and assessed', async () => {
    const driver = new PathDriver(v2, { admin, assessor: actor(first.app, 'assessor'), jury, referent: actor(first.app, 'referent') });
    const epreuve = v2.blocs[0].epreuves[0].code;
    const { outcome } = await driver.sit(pinned, epreuve);
    expect(outcome.events).toContain('AssessmentRecorded');
    const path = (await admin.get(`/enrollments/${pinned}?consistentWith=${outcome.position}`).expect(200)).body;
    expect(path).toMatchObject({ certification: { version: '2' }, status: 'in-progress' });
  });
});
