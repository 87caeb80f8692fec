import { Kysely, sql } from 'kysely';
import { Storage } from '@jalon/event-store';
import { PROCESS_LOCK_CLASS, STORAGE } from '@jalon/runtime';
import { ABANDONED_CLAIM_AFTER_SECONDS, idempotencyRequestHash } from '../apps/api/src/shared/idempotency.interceptor';
import { actor, HttpActor, registerCandidate } from './support/http-actors';
import { startTestApp, TestApp } from './support/test-app';

/**
 * What test/enrollment-acts covers (a stored answer replayed, a refusal kept, a key reused) is not
 * repeated here: these are the claims left by a process that died, and the answers that ask for a retry.
 */
describe('Idempotency-Key: abandoned claims and answers that ask for a retry (PostgreSQL)', () => {
  let testApp: TestApp;
  let admin: HttpActor;
  let db: Kysely<unknown>;

  beforeAll(async () => {
    testApp = await startTestApp();
    admin = actor(testApp.app, 'admin');
    db = testApp.app.get<Storage>(STORAGE).sql.db as unknown as Kysely<unknown>;
  });
  afterAll(() => testApp?.close());

  const enroll = { referentialId: 'expert-ingenierie-science-donnees', version: '1', cohort: '2026-A', accessRoute: 'vae', optionBlocs: ['BC04'] };

  /** A claim as the interceptor makes it, left pending by a process that died `ageSeconds` ago. */
  async function leavePendingClaim(key: string, body: object, ageSeconds: number): Promise<void> {
    const requestHash = idempotencyRequestHash('POST', '/enrollments', body);
    await sql`INSERT INTO idempotency_keys (organisation_id, actor_id, key, request_hash, state, created_at)
      VALUES ('org-1', ${admin.id}, ${key}, ${requestHash}, 'pending', clock_timestamp() - make_interval(secs => ${ageSeconds}))`.execute(db);
  }

  async function enrollmentsOf(candidateId: string): Promise<number> {
    const { rows } = await sql<{
      n: string;
    }>`SELECT count(*)::text AS n FROM events WHERE event_type = 'CandidateEnrolled' AND data->>'candidateId' = ${candidateId}`.execute(db);
    return Number(rows[0].n);
  }

  it('a claim abandoned past the bound is taken over by a retry, which runs once; the next retry replays it', async () => {
    const body = { ...enroll, candidateId: await registerCandidate(admin) };
    await leavePendingClaim('died-1', body, ABANDONED_CLAIM_AFTER_SECONDS + 1);

    const taken = await admin.post('/enrollments', body, { 'Idempotency-Key': 'died-1' }).expect(201);
    expect(taken.headers['idempotent-replayed']).toBeUndefined();
    expect(await enrollmentsOf(body.candidateId)).toBe(1);

    const replayed = await admin.post('/enrollments', body, { 'Idempotency-Key': 'died-1' }).expect(201);
    expect(replayed.headers['idempotent-replayed']).toBe('true');
    expect(replayed.body).toEqual(taken.body);
    expect(await enrollmentsOf(body.candidateId)).toBe(1);
  });

  it('two retries racing for an abandoned claim: one takes it, the other is told it is running or replays it', async () => {
    const body = { ...enroll, candidateId: await registerCandidate(admin) };
    await leavePendingClaim('died-2', body, ABANDONED_CLAIM_AFTER_SECONDS + 1);

    const answers = await Promise.all([1, 2].map(() => admin.post('/enrollments', body, { 'Idempotency-Key': 'died-2' })));
    const ran = answers.filter((a) => a.status === 201 && a.headers['idempotent-replayed'] === undefined);
    expect(ran).toHaveLength(1);
    const other = answers.find((a) => a !== ran[0])!;
    if (other.status === 409) expect(other.body.code).toBe('IDEMPOTENCY.IN_PROGRESS');
    else
      expect({ status: other.status, replayed: other.headers['idempotent-replayed'], body: other.body }).toEqual({
        status: 201,
        replayed: 'true',
        body: ran[0].body,
      });
    expect(await enrollmentsOf(body.candidateId)).toBe(1);
  });

  it('a claim younger than the bound still answers 409 IN_PROGRESS and runs nothing', async () => {
    for (const [key, ageSeconds] of [
      ['running-1', 0],
      ['running-2', ABANDONED_CLAIM_AFTER_SECONDS - 5],
    ] as const) {
      const body = { ...enroll, candidateId: await registerCandidate(admin) };
      await leavePendingClaim(key, body, ageSeconds);
      const refused = await admin.post('/enrollments', body, { 'Idempotency-Key': key }).expect(409);
      expect(refused.body.code).toBe('IDEMPOTENCY.IN_PROGRESS');
      expect(await enrollmentsOf(body.candidateId)).toBe(0);
    }
  });

  it('an abandoned claim is not taken over by another request under the same key (422)', async () => {
    const body = { ...enroll, candidateId: await registerCandidate(admin) };
    await leavePendingClaim('died-3', body, ABANDONED_CLAIM_AFTER_SECONDS + 1);
    const other = { ...enroll, candidateId: await registerCandidate(admin) };
    const reused = await admin.post('/enrollments', other, { 'Idempotency-Key': 'died-3' }).expect(422);
    expect(reused.body.code).toBe('IDEMPOTENCY.KEY_REUSED');
    expect(await enrollmentsOf(other.candidateId)).toBe(0);
  });

  /**
   * The first run of a keyed request appended and then died before its answer was kept: the row is
   * put back as that run left it (pending, its process gone). The retry runs the request again.
   */
  async function forgetAnswer(actorId: string, key: string): Promise<void> {
    await sql`UPDATE idempotency_keys SET state = 'pending', status_code = NULL, response = NULL, owner_lock = ${GONE_LOCK_ID}, created_at = clock_timestamp() WHERE actor_id = ${actorId} AND key = ${key}`.execute(
      db,
    );
  }
  /** A process lock id nobody holds: the process that claimed with it is dead. */
  const GONE_LOCK_ID = 123_456_789;
  const eventCount = async () => Number((await sql<{ n: string }>`SELECT count(*)::text AS n FROM events`.execute(db)).rows[0].n);

  it('a retry of a request whose process died after its append answers what that append did, and appends nothing', async () => {
    const candidate = { birthName: 'Durand', firstNames: ['Inès'], birthDate: '2000-01-02', sex: 'F', birthPlace: 'Nantes (44)', email: 'ines@example.org' };
    const registered = await admin.post('/candidates', candidate, { 'Idempotency-Key': 'crash-reg' }).expect(201);
    const body = { ...enroll, candidateId: registered.body.id };
    const enrolled = await admin.post('/enrollments', body, { 'Idempotency-Key': 'crash-enr' }).expect(201);
    const sittingBody = { epreuveCode: 'BC01-E1', scheduledAt: '2026-06-15T09:00:00Z', assessorIds: ['assessor-1'] };
    const scheduled = await admin.post(`/enrollments/${enrolled.body.id}/sittings`, sittingBody, { 'Idempotency-Key': 'crash-sit' }).expect(201);
    const before = await eventCount();

    for (const [key, path, sent, first] of [
      ['crash-reg', '/candidates', candidate, registered],
      ['crash-enr', '/enrollments', body, enrolled],
      ['crash-sit', `/enrollments/${enrolled.body.id}/sittings`, sittingBody, scheduled],
    ] as const) {
      await forgetAnswer(admin.id, key);
      const retried = await admin.post(path, sent, { 'Idempotency-Key': key }).expect(201);
      // Run again, not replayed from the table: answered from the stream, exactly as the first time.
      expect(retried.headers['idempotent-replayed']).toBeUndefined();
      expect(retried.body).toEqual(first.body);
      const replayed = await admin.post(path, sent, { 'Idempotency-Key': key }).expect(201);
      expect(replayed.headers['idempotent-replayed']).toBe('true');
      expect(replayed.body).toEqual(first.body);
    }
    expect(await eventCount()).toBe(before);
    expect(await enrollmentsOf(body.candidateId)).toBe(1);
  });

  it('a claim whose process died is taken over at once; one whose process lives is told to retry in a second', async () => {
    const body = { ...enroll, candidateId: await registerCandidate(admin) };
    await leavePendingClaim('gone-1', body, 0);
    await sql`UPDATE idempotency_keys SET owner_lock = ${GONE_LOCK_ID} WHERE key = 'gone-1'`.execute(db);
    const taken = await admin.post('/enrollments', body, { 'Idempotency-Key': 'gone-1' }).expect(201);
    expect(taken.headers['idempotent-replayed']).toBeUndefined();
    expect(await enrollmentsOf(body.candidateId)).toBe(1);

    // A live process: a session holding its lock, as every api process holds its own.
    const other = { ...enroll, candidateId: await registerCandidate(admin) };
    const session = testApp.app.get<Storage>(STORAGE).sql;
    const liveLockId = 987_654_321;
    await leavePendingClaim('alive-1', other, 0);
    await sql`UPDATE idempotency_keys SET owner_lock = ${liveLockId} WHERE key = 'alive-1'`.execute(db);
    await session.holdAdvisoryLock(PROCESS_LOCK_CLASS, liveLockId);
    const refused = await admin.post('/enrollments', other, { 'Idempotency-Key': 'alive-1' }).expect(409);
    expect(refused.body.code).toBe('IDEMPOTENCY.IN_PROGRESS');
    expect(refused.headers['retry-after']).toBe('1');
    expect(await enrollmentsOf(other.candidateId)).toBe(0);
  });

  it('a concurrency conflict is not kept as the answer: the retry runs the command, once', async () => {
    const id = (await admin.post('/enrollments', { ...enroll, candidateId: await registerCandidate(admin) }).expect(201)).body.id as string;
    const streamId = `enrollment-${id}`;
    // Every append to this stream misses its expected revision, as if others kept writing it.
    await sql`CREATE FUNCTION hold_stream() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$`.execute(db);
    await sql`CREATE TRIGGER hold_stream BEFORE UPDATE ON streams FOR EACH ROW WHEN (OLD.stream_id = ${sql.lit(streamId)}) EXECUTE FUNCTION hold_stream()`.execute(
      db,
    );
    const optionChanges = async () =>
      (await sql<{ n: string }>`SELECT count(*)::text AS n FROM events WHERE stream_id = ${streamId} AND stream_revision > 0`.execute(db)).rows[0].n;
    try {
      const conflict = await admin.post(`/enrollments/${id}/option`, { optionBlocs: ['BC05'] }, { 'Idempotency-Key': 'opt-conflict' }).expect(409);
      expect(conflict.body.code).toBe('EVENT_STORE.CONCURRENCY_CONFLICT');
      expect(await optionChanges()).toBe('0');
    } finally {
      await sql`DROP TRIGGER hold_stream ON streams`.execute(db);
      await sql`DROP FUNCTION hold_stream()`.execute(db);
    }

    const retried = await admin.post(`/enrollments/${id}/option`, { optionBlocs: ['BC05'] }, { 'Idempotency-Key': 'opt-conflict' }).expect(200);
    expect(retried.headers['idempotent-replayed']).toBeUndefined();
    expect(await optionChanges()).toBe('1');
    const replayed = await admin.post(`/enrollments/${id}/option`, { optionBlocs: ['BC05'] }, { 'Idempotency-Key': 'opt-conflict' }).expect(200);
    expect(replayed.headers['idempotent-replayed']).toBe('true');
    expect(replayed.body).toEqual(retried.body);
    expect(await optionChanges()).toBe('1');
  });
});
