import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kysely, sql } from 'kysely';
import { Referential } from '@jalon/domain';
import { Storage } from '@jalon/event-store';
import { STORAGE, TransferCompletion } from '@jalon/runtime';
import { actor, HttpActor } from './support/http-actors';
import { capturingLoggedErrors } from './support/logged-errors';
import { PathDriver } from './support/path-driver';
import { settle } from './support/settle';
import { startTestApp, TestApp } from './support/test-app';

/** R13 over HTTP: a path moves to a new version of its référentiel, its acquired blocs with it. */
describe('transfer to another version (PostgreSQL)', () => {
  let testApp: TestApp;
  let admin: HttpActor;
  let auditor: HttpActor;
  let driver: PathDriver;
  let db: Kysely<unknown>;

  beforeAll(async () => {
    testApp = await startTestApp();
    admin = actor(testApp.app, 'admin');
    auditor = actor(testApp.app, 'auditor', 'auditor-1', 'cnc');
    db = testApp.app.get<Storage>(STORAGE).sql.db as unknown as Kysely<unknown>;
    // Version 2: the shipped file, renumbered.
    const v1 = readFileSync(join(__dirname, '../referentials/data-ia-quatre-blocs@1.yaml'), 'utf8');
    await admin.post('/referentials', { content: v1.replace(/^version: .*$/m, 'version: "2"') }).expect(201);
    const referential: Referential = (await admin.get('/referentials/data-ia-quatre-blocs/versions/1').expect(200)).body;
    driver = new PathDriver(referential, {
      admin,
      jury: actor(testApp.app, 'jury'),
      assessor: actor(testApp.app, 'assessor'),
      referent: actor(testApp.app, 'referent'),
    });
  });
  afterAll(() => testApp?.close());

  const transfer = { toReferentialId: 'data-ia-quatre-blocs', toVersion: '2', carriedBlocs: [{ fromBloc: 'BC01', toBloc: 'BC01' }] };

  /** An enrollment with BC01 validated whose transfer failed halfway: the second append (the new enrollment) refused once by the server. */
  async function halfDoneTransfer(): Promise<string> {
    const id = await driver.enroll();
    await driver.passBloc(id, 'BC01');
    await sql`CREATE FUNCTION refuse_transfer_in() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused for the test'; END $$`.execute(db);
    await sql`CREATE TRIGGER refuse_transfer_in BEFORE INSERT ON events FOR EACH ROW WHEN (NEW.event_type = 'EnrolledByTransfer') EXECUTE FUNCTION refuse_transfer_in()`.execute(
      db,
    );
    try {
      const { errors } = await capturingLoggedErrors(() => admin.post(`/enrollments/${id}/transfer`, transfer).expect(500));
      // The operator is told what the database said; the caller only that something failed.
      expect(errors).toEqual([expect.stringContaining('refused for the test')]);
    } finally {
      await sql`DROP TRIGGER refuse_transfer_in ON events`.execute(db);
      await sql`DROP FUNCTION refuse_transfer_in()`.execute(db);
    }
    // Half applied: the source says transferred, to an enrollment that does not exist.
    await settle(testApp.app);
    expect((await admin.get(`/enrollments/${id}`).expect(200)).body.status).toBe('transferred');
    return id;
  }

  it('the new enrollment carries the acquired bloc, and its provenance points back to where it was granted', async () => {
    const id = await driver.enroll();
    await driver.passBloc(id, 'BC01');
    const moved = (await admin.post(`/enrollments/${id}/transfer`, transfer).expect(201)).body;
    await settle(testApp.app);
    expect((await admin.get(`/enrollments/${id}`).expect(200)).body).toMatchObject({
      status: 'transferred',
      transferredTo: { enrollmentId: moved.id, referentialId: 'data-ia-quatre-blocs', version: '2' },
    });
    const path = (await admin.get(`/enrollments/${moved.id}`).expect(200)).body;
    expect(path).toMatchObject({ certification: { version: '2' }, status: 'in-progress' });
    expect(path.blocs.find((b: { code: string }) => b.code === 'BC01')).toMatchObject({ status: 'validated', decidedBy: 'transfer' });
    const provenance = (await auditor.get(`/enrollments/${moved.id}/blocs/BC01/provenance`).expect(200)).body;
    expect(provenance.history).toEqual([
      expect.objectContaining({
        type: 'EnrolledByTransfer',
        carriedFrom: { enrollmentId: id, version: '1', bloc: 'BC01', validatedAt: expect.any(String), provenance: `/enrollments/${id}/blocs/BC01/provenance` },
      }),
    ]);
    // Followed back, it tells how the bloc was granted.
    const source = (await auditor.get(provenance.history[0].carriedFrom.provenance).expect(200)).body;
    expect(source.history.some((h: { type: string }) => h.type === 'BlocValidated')).toBe(true);
  });

  it('a transfer whose new enrollment could not be written is completed by the same request retried, once', async () => {
    const id = await halfDoneTransfer();

    const completed = (await admin.post(`/enrollments/${id}/transfer`, transfer).expect(201)).body;
    const source = await testApp.app.get<Storage>(STORAGE).store.readStream(`enrollment-${id}`);
    const out = source.filter((e) => e.type === 'EnrollmentTransferredOut');
    expect(out).toHaveLength(1);
    expect((out[0].data as { toEnrollmentId: string }).toEnrollmentId).toBe(completed.id);
    await settle(testApp.app);
    expect((await admin.get(`/enrollments/${completed.id}`).expect(200)).body.blocs[0]).toMatchObject({ code: 'BC01', status: 'validated' });

    // Complete now: nothing for the worker to do; the same request again, or another transfer, is refused.
    await settle(testApp.app);
    expect(await testApp.app.get(TransferCompletion).completeUnfinished(0)).toEqual([]);
    expect((await admin.post(`/enrollments/${id}/transfer`, transfer).expect(409)).body.code).toBe('ENROLLMENT.TRANSFERRED');
    expect((await admin.post(`/enrollments/${id}/transfer`, { ...transfer, carriedBlocs: [] }).expect(409)).body.code).toBe('ENROLLMENT.TRANSFERRED');
  });

  it('a transfer whose new enrollment could not be written, and that nobody retries, is completed by the worker as the request would have', async () => {
    const id = await halfDoneTransfer();
    const completion = testApp.app.get(TransferCompletion);
    // Left to its request for a while first.
    expect(await completion.completeUnfinished(60_000)).toEqual([]);
    expect(await completion.completeUnfinished(0)).toEqual([id]);

    const store = testApp.app.get<Storage>(STORAGE).store;
    const out = (await store.readStream(`enrollment-${id}`)).find((e) => e.type === 'EnrollmentTransferredOut')!;
    const toId = (out.data as { toEnrollmentId: string }).toEnrollmentId;
    const [enrolled] = await store.readStream(`enrollment-${toId}`);
    expect(enrolled).toMatchObject({
      type: 'EnrolledByTransfer',
      data: {
        fromEnrollmentId: id,
        referentialId: 'data-ia-quatre-blocs',
        version: '2',
        carriedBlocs: [expect.objectContaining({ fromBloc: 'BC01', toBloc: 'BC01' })],
        by: { id: 'admin-1', role: 'admin' },
        at: (out.data as { at: string }).at,
      },
    });
    await settle(testApp.app);
    expect((await admin.get(`/enrollments/${toId}`).expect(200)).body.blocs[0]).toMatchObject({ code: 'BC01', status: 'validated' });
    // Done once: again, nothing.
    expect(await completion.completeUnfinished(0)).toEqual([]);
    expect((await completion.complete(id))?.events).toEqual([]);
  });
});
