import { Kysely, sql } from 'kysely';
import { Storage } from '@jalon/event-store';
import { ProjectionRunner } from '@jalon/projections';
import { STORAGE } from '@jalon/runtime';
import { CONSISTENCY_WAIT_MS } from '../apps/api/src/paths/read-consistency.service';
import { actor, HttpActor, registerCandidate } from './support/http-actors';
import { settle } from './support/settle';
import { startTestApp, TestApp } from './support/test-app';

describe('consistentWith when a projection has failed (PostgreSQL)', () => {
  let testApp: TestApp;
  let admin: HttpActor;
  let db: Kysely<unknown>;
  let runner: ProjectionRunner;

  beforeAll(async () => {
    testApp = await startTestApp();
    admin = actor(testApp.app, 'admin');
    db = testApp.app.get<Storage>(STORAGE).sql.db as unknown as Kysely<unknown>;
    runner = testApp.app.get(ProjectionRunner);
  });
  afterAll(() => testApp?.close());

  const enroll = async () =>
    (
      await admin
        .post('/enrollments', {
          candidateId: await registerCandidate(admin),
          referentialId: 'expert-ingenierie-science-donnees',
          version: '1',
          cohort: '2026-A',
          accessRoute: 'vae',
          optionBlocs: ['BC04'],
        })
        .expect(201)
    ).body as { id: string; position: string };

  it('a query waiting on a position a failed projection has not reached answers 503 READ_MODEL.FAILED at once, naming it; positions it reached still answer', async () => {
    const before = await enroll();
    await settle(testApp.app);
    // Stopped as the runner stops a projection on an event it cannot apply.
    const failed = runner.projections[0].name;
    await sql`UPDATE projection_checkpoints SET status = 'failed', error = 'test: stopped on purpose' WHERE projection = ${failed}`.execute(db);
    try {
      const after = await enroll();
      const started = Date.now();
      const refused = await admin.get(`/enrollments/${after.id}?consistentWith=${after.position}`).expect(503);
      expect(Date.now() - started).toBeLessThan(CONSISTENCY_WAIT_MS);
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(refused.body).toMatchObject({ status: 503, code: 'READ_MODEL.FAILED', projections: [failed] });
      expect(refused.body.detail).toContain(failed);

      await admin.get(`/enrollments/${before.id}?consistentWith=${before.position}`).expect(200);
    } finally {
      // A rebuild is how an operator revives a failed projection; then the query answers again.
      await runner.rebuild(failed);
    }
    const after = await enroll();
    await admin.get(`/enrollments/${after.id}?consistentWith=${after.position}`).expect(200);
  });

  it('an erasure while a read model is stopped on an error answers 503 and erases nothing: it could miss an enrollment', async () => {
    const { id } = await enroll();
    await settle(testApp.app);
    const { candidateId } = (await admin.get(`/enrollments/${id}`).expect(200)).body;
    const failed = runner.projections[0].name;
    await sql`UPDATE projection_checkpoints SET status = 'failed', error = 'test: stopped on purpose' WHERE projection = ${failed}`.execute(db);
    // A second enrollment of the candidate, which the stopped read model does not hold.
    const second = (
      await admin
        .post('/enrollments', { candidateId, referentialId: 'data-ia-quatre-blocs', version: '1', cohort: '2026-A', accessRoute: 'vae', optionBlocs: [] })
        .expect(201)
    ).body.id as string;
    try {
      const refused = await actor(testApp.app, 'dpo').post(`/candidates/${candidateId}/erasure`).expect(503);
      expect(refused.body).toMatchObject({ code: 'READ_MODEL.FAILED', projections: [failed] });
      expect((await admin.get(`/candidates/${candidateId}`).expect(200)).body.identity).toMatchObject({ birthName: expect.any(String) });
    } finally {
      await runner.rebuild(failed);
    }
    expect((await actor(testApp.app, 'dpo').post(`/candidates/${candidateId}/erasure`).expect(200)).body).toMatchObject({
      candidateId,
      enrollments: [id, second].sort(),
    });
  });
});
