import { Kysely, sql } from 'kysely';
import { Referential } from '@jalon/domain';
import { Storage } from '@jalon/event-store';
import { STORAGE } from '@jalon/runtime';
import { actor, HttpActor } from './support/http-actors';
import { PathDriver } from './support/path-driver';
import { startTestApp, TestApp } from './support/test-app';

describe('sessions d’examen over HTTP (PostgreSQL)', () => {
  let testApp: TestApp;
  let admin: HttpActor;
  let referent: HttpActor;
  let assessor: HttpActor;
  let otherAssessor: HttpActor;
  let jury: HttpActor;
  let seed000: Referential;
  let driver: PathDriver;
  let db: Kysely<unknown>;

  beforeAll(async () => {
    testApp = await startTestApp();
    admin = actor(testApp.app, 'admin');
    referent = actor(testApp.app, 'referent');
    assessor = actor(testApp.app, 'assessor');
    otherAssessor = actor(testApp.app, 'assessor', 'assessor-2');
    jury = actor(testApp.app, 'jury');
    seed000 = (await admin.get('/referentials/expert-ingenierie-science-donnees/versions/1').expect(200)).body;
    driver = new PathDriver(seed000, { admin, assessor, jury, referent });
    db = testApp.app.get<Storage>(STORAGE).sql.db as unknown as Kysely<unknown>;
  });
  afterAll(() => testApp?.close());

  /** The first épreuve of a bloc every path owes that has a timed part. */
  const timedEpreuve = () =>
    seed000.blocs
      .filter((b) => !b.optionGroup)
      .flatMap((b) => b.epreuves)
      .find((e) => (e.timedParts ?? []).length > 0 && !e.continuous)!;

  async function eventsOf(type: string, streamPrefix: string): Promise<number> {
    const { rows } = await sql<{
      n: string;
    }>`SELECT count(*)::text AS n FROM events WHERE event_type = ${type} AND stream_id LIKE ${`${streamPrefix}%`}`.execute(db);
    return Number(rows[0].n);
  }

  it('schedules one épreuve for 4 candidates: a tiers-temps lengthens only theirs and the latest end, a withdrawn path is refused alone, a retry creates nothing twice, and holding records each', async () => {
    const epreuve = timedEpreuve();
    const base = epreuve.timedParts!.reduce((sum, p) => sum + p.baseDurationMinutes, 0);
    const ids = [];
    for (let i = 0; i < 4; i++) ids.push(await driver.enroll({ cohort: '2026-S' }));
    const [plain1, withTiersTemps, withdrawn, plain2] = ids;
    await referent.post(`/enrollments/${withTiersTemps}/accommodations`, { kind: 'tiers-temps', validFrom: '2026-01-01' }).expect(201);
    await admin.post(`/enrollments/${withdrawn}/withdrawal`, { reason: 'abandon' }).expect(200);

    const body = {
      referentialId: seed000.referential,
      version: seed000.version,
      epreuveCode: epreuve.code,
      place: 'Campus de Lyon, salle 204',
      scheduledAt: '2026-06-15T09:00:00+02:00',
      assessorIds: [assessor.id],
      enrollmentIds: ids,
    };
    const scheduled = await admin.post('/sessions', body, { 'Idempotency-Key': 'session-1' }).expect(201);
    const sessionId = scheduled.body.id;
    expect(scheduled.body.streamId).toBe(`session-${sessionId}`);
    expect(scheduled.body.candidates).toEqual([
      { enrollmentId: plain1, status: 'scheduled', sittingId: expect.any(String) },
      { enrollmentId: withTiersTemps, status: 'scheduled', sittingId: expect.any(String) },
      { enrollmentId: withdrawn, status: 'refused', refusal: { code: 'ENROLLMENT.WITHDRAWN', message: expect.any(String) } },
      { enrollmentId: plain2, status: 'scheduled', sittingId: expect.any(String) },
    ]);

    // Each candidate got their own sitting, with their own effective durations (as the log holds them).
    const sittingIdOf = (enrollmentId: string): string =>
      scheduled.body.candidates.find((c: { enrollmentId: string }) => c.enrollmentId === enrollmentId).sittingId;
    const sittingOf = async (enrollmentId: string) => {
      const { rows } = await sql<{ data: { timedParts: { effectiveDurationMinutes: number }[] } }>`
        SELECT data FROM events WHERE event_type = 'SittingScheduled' AND stream_id = ${`enrollment-${enrollmentId}`} AND data->>'sittingId' = ${sittingIdOf(enrollmentId)}`.execute(
        db,
      );
      expect(rows).toHaveLength(1);
      return rows[0].data;
    };
    const heldEvents = async (enrollmentId: string) => {
      const { rows } = await sql<{ n: string }>`
        SELECT count(*)::text AS n FROM events WHERE event_type = 'SittingHeld' AND stream_id = ${`enrollment-${enrollmentId}`} AND data->>'sittingId' = ${sittingIdOf(enrollmentId)}`.execute(
        db,
      );
      return Number(rows[0].n);
    };
    const total = (sitting: { timedParts: { effectiveDurationMinutes: number }[] }) =>
      sitting.timedParts.reduce((sum, p) => sum + p.effectiveDurationMinutes, 0);
    expect(total(await sittingOf(plain1))).toBe(base);
    expect(total(await sittingOf(withTiersTemps))).toBeGreaterThan(base);
    const longest = total(await sittingOf(withTiersTemps));

    // A retry under the same key answers the same, and appends nothing.
    const before = await eventsOf('SittingScheduled', 'enrollment-');
    const retried = await admin.post('/sessions', body, { 'Idempotency-Key': 'session-1' }).expect(201);
    expect(retried.body).toEqual(scheduled.body);
    expect(await eventsOf('SittingScheduled', 'enrollment-')).toBe(before);
    expect(await eventsOf('SessionScheduled', `session-${sessionId}`)).toBe(1);
    // Even run again (as when the first run died before its answer was kept), it derives the same ids and appends nothing.
    await sql`DELETE FROM idempotency_keys WHERE key = 'session-1'`.execute(db);
    const rerun = await admin.post('/sessions', body, { 'Idempotency-Key': 'session-1' }).expect(201);
    expect(rerun.headers['idempotent-replayed']).toBeUndefined();
    expect(rerun.body.id).toBe(sessionId);
    expect(rerun.body.candidates.map((c: { status: string }) => c.status)).toEqual(['scheduled', 'scheduled', 'refused', 'scheduled']);
    expect(await eventsOf('SittingScheduled', 'enrollment-')).toBe(before);
    expect(await eventsOf('SessionScheduled', `session-${sessionId}`)).toBe(1);

    // The timetable: the start, the base duration and the latest end, and nothing of who has extra time.
    const timetable = (await admin.get(`/sessions/${sessionId}`).expect(200)).body;
    expect(timetable.timetable).toEqual({
      startsAt: body.scheduledAt,
      baseDurationMinutes: base,
      latestEndAt: new Date(Date.parse(body.scheduledAt) + longest * 60_000).toISOString(),
    });
    expect(timetable).toMatchObject({ place: body.place, epreuveCode: epreuve.code, status: 'scheduled', assessorIds: [assessor.id] });
    expect(timetable.candidates.map((c: { enrollmentId: string; sittingStatus: string }) => [c.enrollmentId, c.sittingStatus])).toEqual([
      [plain1, 'scheduled'],
      [withTiersTemps, 'scheduled'],
      [withdrawn, 'not-scheduled'],
      [plain2, 'scheduled'],
    ]);
    const text = JSON.stringify(timetable);
    expect(text).not.toMatch(/tiers|effective|accommodation|extra/i);
    const rows = timetable.candidates.map((c: object) => Object.keys(c).sort().join());
    expect(new Set(rows).size).toBeLessThanOrEqual(2);

    // Its assessor reads it too; another assessor, another school or a jury is told it does not exist.
    await assessor.get(`/sessions/${sessionId}`).expect(200);
    expect((await otherAssessor.get(`/sessions/${sessionId}`).expect(404)).body.code).toBe('SESSION.NOT_FOUND');
    await actor(testApp.app, 'admin', 'admin-9', 'org-2').get(`/sessions/${sessionId}`).expect(404);
    await jury.get(`/sessions/${sessionId}`).expect(403);

    // Holding it, by its assessor: one absent, the withdrawn one refused (they have no sitting), the others held as scheduled.
    const held = await assessor
      .post(`/sessions/${sessionId}/held`, {
        heldAt: body.scheduledAt,
        candidates: [
          { enrollmentId: plain1, mode: 'on-site' },
          { enrollmentId: withTiersTemps },
          { enrollmentId: withdrawn },
          { enrollmentId: plain2, absent: true },
        ],
      })
      .expect(200);
    expect(held.body.candidates).toEqual([
      { enrollmentId: plain1, status: 'held' },
      { enrollmentId: withTiersTemps, status: 'held' },
      { enrollmentId: withdrawn, status: 'refused', refusal: { code: 'SITTING.NOT_FOUND', message: expect.any(String) } },
      { enrollmentId: plain2, status: 'absent' },
    ]);
    const afterHeld = (await admin.get(`/sessions/${sessionId}`).expect(200)).body;
    expect(afterHeld.status).toBe('held');
    expect(afterHeld.candidates.map((c: { sittingStatus: string; recorded?: string }) => [c.sittingStatus, c.recorded])).toEqual([
      ['held', 'held'],
      ['held', 'held'],
      ['not-scheduled', 'refused'],
      ['scheduled', 'absent'],
    ]);
    expect(await heldEvents(plain1)).toBe(1);
    expect(await heldEvents(withTiersTemps)).toBe(1);
    expect(await heldEvents(plain2)).toBe(0);
    // The tiers-temps candidate's sitting is held as scheduled: their own durations, their extra time given (no R11 finding).
    const { rows: heldRows } = await sql<{ data: { timedParts: { actualDurationMinutes: number }[]; accommodationsNotApplied: unknown[] } }>`
      SELECT data FROM events WHERE event_type = 'SittingHeld' AND stream_id = ${`enrollment-${withTiersTemps}`}`.execute(db);
    expect(heldRows[0].data.timedParts.reduce((sum, p) => sum + p.actualDurationMinutes, 0)).toBe(longest);
    expect(heldRows[0].data.accommodationsNotApplied).toEqual([]);

    // The absent candidate's sitting is recorded later; recording the held ones again is refused for them alone.
    const later = await admin
      .post(`/sessions/${sessionId}/held`, { heldAt: body.scheduledAt, candidates: [{ enrollmentId: plain2 }, { enrollmentId: plain1 }] })
      .expect(200);
    expect(later.body.candidates).toEqual([
      { enrollmentId: plain2, status: 'held' },
      { enrollmentId: plain1, status: 'refused', refusal: { code: 'SITTING.ALREADY_HELD', message: expect.any(String) } },
    ]);
    expect(await heldEvents(plain2)).toBe(1);
    expect(await heldEvents(plain1)).toBe(1);
  });

  it('refuses a session whose plan does not fit, whole, and a record by another assessor or of a candidate not in it', async () => {
    const epreuve = timedEpreuve();
    const enrollmentId = await driver.enroll();
    const body = {
      referentialId: seed000.referential,
      version: seed000.version,
      epreuveCode: epreuve.code,
      place: 'Salle 1',
      scheduledAt: '2026-06-15T09:00:00+02:00',
      assessorIds: [assessor.id],
      enrollmentIds: [enrollmentId],
    };
    expect((await admin.post('/sessions', { ...body, epreuveCode: 'XX-E9' }).expect(400)).body.code).toBe('SESSION.UNKNOWN_EPREUVE');
    expect((await admin.post('/sessions', { ...body, place: '  ' }).expect(400)).body.code).toBe('SESSION.NO_PLACE');
    expect((await admin.post('/sessions', { ...body, enrollmentIds: [enrollmentId, enrollmentId] }).expect(400)).body.code).toBe('SESSION.CANDIDATE_REPEATED');
    expect((await admin.post('/sessions', { ...body, version: '99' }).expect(400)).body.code).toBe('REFERENTIAL.NOT_PUBLISHED');
    await assessor.post('/sessions', body).expect(403);

    const sessionId = (await admin.post('/sessions', body).expect(201)).body.id;
    const record = { heldAt: body.scheduledAt, candidates: [{ enrollmentId }] };
    expect((await otherAssessor.post(`/sessions/${sessionId}/held`, record).expect(403)).body.code).toBe('SESSION.ASSESSOR_NOT_ASSIGNED');
    const stranger = '00000000-0000-4000-8000-000000000000';
    expect((await admin.post(`/sessions/${sessionId}/held`, { ...record, candidates: [{ enrollmentId: stranger }] }).expect(400)).body.code).toBe(
      'SESSION.CANDIDATE_NOT_IN_SESSION',
    );
    expect((await admin.post(`/sessions/${sessionId}/held`, { ...record, heldAt: '2099-01-01T09:00:00Z' }).expect(400)).body.code).toBe(
      'SESSION.HELD_IN_FUTURE',
    );
    expect((await admin.post(`/sessions/${stranger}/held`, record).expect(404)).body.code).toBe('SESSION.NOT_FOUND');
    await admin.get(`/sessions/${stranger}`).expect(404);
  });
});
