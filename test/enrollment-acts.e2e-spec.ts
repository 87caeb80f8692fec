import { indexReferential, Referential } from '@jalon/domain';
import { actor, HttpActor, registerCandidate } from './support/http-actors';
import { startTestApp, TestApp } from './support/test-app';

describe('enrollment acts over HTTP (PostgreSQL)', () => {
  let testApp: TestApp;
  let admin: HttpActor;
  let referent: HttpActor;
  let assessor: HttpActor;
  let jury: HttpActor;
  let seed000: Referential;

  beforeAll(async () => {
    testApp = await startTestApp();
    admin = actor(testApp.app, 'admin');
    referent = actor(testApp.app, 'referent');
    assessor = actor(testApp.app, 'assessor');
    jury = actor(testApp.app, 'jury');
    seed000 = (await admin.get('/referentials/expert-ingenierie-science-donnees/versions/1').expect(200)).body;
  });
  afterAll(() => testApp?.close());

  const criteria = (epreuveCode: string) => indexReferential(seed000).epreuves.get(epreuveCode)!.criteria;

  it('seed 000, Data Science option with a tiers-temps: a 30-minute soutenance is scheduled as 40, and the path reaches the certification', async () => {
    const enrolled = await admin
      .post('/enrollments', {
        candidateId: await registerCandidate(admin),
        referentialId: 'expert-ingenierie-science-donnees',
        version: '1',
        cohort: '2026-A',
        accessRoute: 'formation-continue',
        optionBlocs: ['BC05'],
      })
      .expect(201);
    const id = enrolled.body.id;
    expect(enrolled.body).toMatchObject({
      streamId: `enrollment-${id}`,
      revision: 0,
      events: ['CandidateEnrolled'],
      position: expect.stringMatching(/^\d+-\d+$/),
    });

    const granted = await referent.post(`/enrollments/${id}/accommodations`, { kind: 'tiers-temps', validFrom: '2026-01-01' }).expect(201);
    const accommodationId = granted.body.id;

    for (const bloc of ['BC01', 'BC02', 'BC03', 'BC05']) {
      for (const epreuve of seed000.blocs.find((b) => b.code === bloc)!.epreuves) {
        const scheduled = await admin
          .post(`/enrollments/${id}/sittings`, { epreuveCode: epreuve.code, scheduledAt: '2026-06-15T09:00:00Z', assessorIds: [assessor.id] })
          .expect(201);
        const sittingId = scheduled.body.id;
        const timedParts = (epreuve.timedParts ?? []).map((p) => ({ code: p.code, actualDurationMinutes: Math.ceil((p.baseDurationMinutes * 4) / 3) }));
        await admin
          .post(`/enrollments/${id}/sittings/${sittingId}/held`, { heldAt: '2026-06-15T09:00:00Z', timedParts, accommodationsApplied: [accommodationId] })
          .expect(200);
        const assessed = await assessor
          .post(`/enrollments/${id}/sittings/${sittingId}/assessments`, { results: criteria(epreuve.code).map((criterion) => ({ criterion, met: true })) })
          .expect(201);
        expect(assessed.body.events[0]).toBe('AssessmentRecorded');
      }
      const validated = await jury.post(`/enrollments/${id}/blocs/${bloc}/validation`).expect(200);
      expect(validated.body.events).toEqual(['BlocValidated']);
    }
    const awarded = await jury.post(`/enrollments/${id}/final-decision`, { decision: 'awarded', place: 'Paris' }).expect(200);
    expect(awarded.body.events).toEqual(['FinalJuryDecisionRecorded', 'CertificationAwarded']);

    // The soutenance was scheduled with the tiers-temps applied: 30 → 40 minutes.
    const { STORAGE } = await import('@jalon/runtime');
    const storage = testApp.app.get(STORAGE);
    const scheduledEvents = (await storage.store.readStream(`enrollment-${id}`)).filter((e: { type: string }) => e.type === 'SittingScheduled');
    expect(scheduledEvents[0].data.timedParts).toEqual([{ code: 'soutenance', baseDurationMinutes: 30, effectiveDurationMinutes: 40 }]);
  });

  it('a tiers-temps granted after the soutenance was scheduled lengthens it to 40 minutes; ended before it takes place, back to 30 (R11)', async () => {
    const id = (
      await admin
        .post('/enrollments', {
          candidateId: await registerCandidate(admin),
          referentialId: 'expert-ingenierie-science-donnees',
          version: '1',
          cohort: '2026-A',
          accessRoute: 'formation-continue',
          optionBlocs: ['BC05'],
        })
        .expect(201)
    ).body.id;
    const epreuve = seed000.blocs.find((b) => b.code === 'BC01')!.epreuves.find((e) => (e.timedParts ?? []).length > 0)!;
    // Next year's session: the measure ended today no longer applies to it.
    const sittingId = (
      await admin
        .post(`/enrollments/${id}/sittings`, {
          epreuveCode: epreuve.code,
          scheduledAt: `${new Date().getUTCFullYear() + 1}-06-15T09:00:00Z`,
          assessorIds: [assessor.id],
        })
        .expect(201)
    ).body.id;
    const minutes = async (position: string) => {
      const path = (await admin.get(`/enrollments/${id}?consistentWith=${position}`).expect(200)).body;
      return path.sittings
        .find((s: { sittingId: string }) => s.sittingId === sittingId)
        .timedParts.map((p: { effectiveDurationMinutes: number }) => p.effectiveDurationMinutes);
    };
    const granted = await referent.post(`/enrollments/${id}/accommodations`, { kind: 'tiers-temps', validFrom: '2026-01-01' }).expect(201);
    expect(granted.body.events).toEqual(['AccommodationGranted', 'SittingConditionsRevised']);
    expect(await minutes(granted.body.position)).toEqual([40]);
    // The assessor sees the measure to apply at their sitting.
    const forAssessor = (await assessor.get(`/enrollments/${id}?consistentWith=${granted.body.position}`).expect(200)).body;
    expect(forAssessor.accommodations.sittings.find((s: { sittingId: string }) => s.sittingId === sittingId).measures).toHaveLength(1);

    const ended = await referent.post(`/enrollments/${id}/accommodations/${granted.body.id}/end`, { reason: 'fin de la mesure' }).expect(200);
    expect(ended.body.events).toEqual(['AccommodationEnded', 'SittingConditionsRevised']);
    expect(await minutes(ended.body.position)).toEqual([30]);
  });

  it('an assessor of the sitting records it held, the measure they were told to apply given by its id; another assessor may not', async () => {
    const id = (
      await admin
        .post('/enrollments', {
          candidateId: await registerCandidate(admin),
          referentialId: 'expert-ingenierie-science-donnees',
          version: '1',
          cohort: '2026-A',
          accessRoute: 'formation-continue',
          optionBlocs: ['BC05'],
        })
        .expect(201)
    ).body.id;
    const accommodationId = (await referent.post(`/enrollments/${id}/accommodations`, { kind: 'tiers-temps', validFrom: '2026-01-01' }).expect(201)).body.id;
    const scheduled = await admin
      .post(`/enrollments/${id}/sittings`, { epreuveCode: 'BC05-E1', scheduledAt: '2026-06-15T09:00:00Z', assessorIds: [assessor.id] })
      .expect(201);
    const sittingId = scheduled.body.id;
    // The assessor reads the measure as an instruction, with its id: the details stay the referent's.
    const path = (await assessor.get(`/enrollments/${id}?consistentWith=${scheduled.body.position}`).expect(200)).body;
    expect(path.accommodations).toEqual({
      view: 'to-apply',
      sittings: [
        expect.objectContaining({ sittingId, measures: [{ accommodationId, kind: 'tiers-temps', instruction: expect.stringContaining('Temps majoré') }] }),
      ],
    });
    const held = { heldAt: '2026-06-15T09:00:00Z', timedParts: [{ code: 'soutenance', actualDurationMinutes: 40 }], accommodationsApplied: [accommodationId] };
    const notAssigned = await actor(testApp.app, 'assessor', 'assessor-2').post(`/enrollments/${id}/sittings/${sittingId}/held`, held).expect(403);
    expect(notAssigned.body.code).toBe('SITTING.ASSESSOR_NOT_ASSIGNED');
    const recorded = await assessor.post(`/enrollments/${id}/sittings/${sittingId}/held`, held).expect(200);
    expect(recorded.body.events).toEqual(['SittingHeld']);
    const { STORAGE } = await import('@jalon/runtime');
    const events = await testApp.app.get(STORAGE).store.readStream(`enrollment-${id}`);
    expect(events.find((e: { type: string }) => e.type === 'SittingHeld').data).toMatchObject({
      sittingId,
      accommodationsApplied: [accommodationId],
      accommodationsNotApplied: [],
      by: { id: assessor.id, role: 'assessor' },
    });
  });

  it('a bad body answers 400 listing each field and reason, and appends nothing', async () => {
    const response = await admin
      .post('/enrollments', {
        candidateId: 'not-a-uuid',
        referentialId: 'expert-ingenierie-science-donnees',
        version: '1',
        cohort: '',
        accessRoute: 'by-post',
        role: 'admin',
      })
      .expect(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body.code).toBe('REQUEST.INVALID');
    const fields = response.body.errors.map((e: { field: string }) => e.field).sort();
    expect(fields).toEqual(['accessRoute', 'candidateId', 'cohort', 'role']);
  });

  it('domain refusals come back with their code: 409 for an illegal state, 403 for the wrong actor, 404 for another organisation', async () => {
    const id = (
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
    ).body.id;
    const notValidatable = await jury.post(`/enrollments/${id}/blocs/BC01/validation`).expect(409);
    expect(notValidatable.body).toMatchObject({ code: 'BLOC.NOT_VALIDATABLE', status: 409 });
    const sittingId = (
      await admin.post(`/enrollments/${id}/sittings`, { epreuveCode: 'BC01-E1', scheduledAt: '2026-06-15T09:00:00Z', assessorIds: ['assessor-9'] }).expect(201)
    ).body.id;
    await admin
      .post(`/enrollments/${id}/sittings/${sittingId}/held`, {
        heldAt: '2026-06-15T09:00:00Z',
        timedParts: [{ code: 'soutenance', actualDurationMinutes: 30 }],
        accommodationsApplied: [],
      })
      .expect(200);
    const notAssigned = await assessor
      .post(`/enrollments/${id}/sittings/${sittingId}/assessments`, { results: criteria('BC01-E1').map((criterion) => ({ criterion, met: true })) })
      .expect(403);
    expect(notAssigned.body.code).toBe('ASSESSMENT.ASSESSOR_NOT_ASSIGNED');
    const otherOrg = actor(testApp.app, 'admin', 'admin-2', 'org-2');
    const hidden = await otherOrg.post(`/enrollments/${id}/withdrawal`, { reason: 'x' }).expect(404);
    expect(hidden.body.code).toBe('ENROLLMENT.NOT_FOUND');
    await admin.post(`/enrollments/${id}/withdrawal`, { reason: 'réorientation' }).expect(200);
    const afterWithdrawal = await admin.post(`/enrollments/${id}/option`, { optionBlocs: ['BC05'] }).expect(409);
    expect(afterWithdrawal.body.code).toBe('ENROLLMENT.WITHDRAWN');
  });

  it('requests without a valid token answer 401; a role not allowed answers 403', async () => {
    const server = testApp.app.getHttpServer();
    const { default: request } = await import('supertest');
    await request(server).post('/enrollments').send({}).expect(401);
    await request(server).post('/enrollments').set('authorization', 'Bearer abc.def.ghi').send({}).expect(401);
    const forbidden = await assessor
      .post('/enrollments', {
        candidateId: await registerCandidate(admin),
        referentialId: 'expert-ingenierie-science-donnees',
        version: '1',
        cohort: '2026-A',
        accessRoute: 'vae',
      })
      .expect(403);
    expect(forbidden.body.code).toBe('AUTH.ROLE_NOT_ALLOWED');
  });
});

describe('Idempotency-Key (PostgreSQL)', () => {
  let testApp: TestApp;
  let admin: HttpActor;

  beforeAll(async () => {
    testApp = await startTestApp();
    admin = actor(testApp.app, 'admin');
  });
  afterAll(() => testApp?.close());

  const enroll = { referentialId: 'expert-ingenierie-science-donnees', version: '1', cohort: '2026-A', accessRoute: 'vae', optionBlocs: ['BC04'] };

  it('a retried request returns the first answer and appends nothing', async () => {
    const body = { ...enroll, candidateId: await registerCandidate(admin) };
    const first = await admin.post('/enrollments', body, { 'Idempotency-Key': 'enroll-42' }).expect(201);
    const retry = await admin.post('/enrollments', body, { 'Idempotency-Key': 'enroll-42' }).expect(201);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    const list = await admin.get('/enrollments?consistentWith=' + first.body.position).expect(200);
    expect(list.body.items.filter((i: { candidateId: string }) => i.candidateId === body.candidateId)).toHaveLength(1);
  });

  it('a refused command stays refused on retry, with the same problem', async () => {
    const id = (await admin.post('/enrollments', { ...enroll, candidateId: await registerCandidate(admin) }).expect(201)).body.id;
    const first = await admin.post(`/enrollments/${id}/option`, { optionBlocs: ['BC04', 'BC05'] }, { 'Idempotency-Key': 'opt-1' }).expect(400);
    const retry = await admin.post(`/enrollments/${id}/option`, { optionBlocs: ['BC04', 'BC05'] }, { 'Idempotency-Key': 'opt-1' }).expect(400);
    expect(retry.body).toEqual(first.body);
    expect(retry.body.code).toBe('OPTION.TOO_MANY_IN_GROUP');
  });

  it('the same key with another request is refused; keys belong to their caller', async () => {
    await admin.post('/enrollments', { ...enroll, candidateId: await registerCandidate(admin) }, { 'Idempotency-Key': 'k-7' }).expect(201);
    const reused = await admin.post('/enrollments', { ...enroll, candidateId: await registerCandidate(admin) }, { 'Idempotency-Key': 'k-7' }).expect(422);
    expect(reused.body.code).toBe('IDEMPOTENCY.KEY_REUSED');
    const other = actor(testApp.app, 'admin', 'admin-2', 'org-1');
    const candidateId = await registerCandidate(admin);
    await other.post('/enrollments', { ...enroll, candidateId }, { 'Idempotency-Key': 'k-7' }).expect(201);
  });
});
