import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { Redis } from 'ioredis';
import { sql } from 'kysely';
import { Referential } from '@jalon/domain';
import { Storage } from '@jalon/event-store';
import { ProjectionRunner } from '@jalon/projections';
import { STORAGE } from '@jalon/runtime';
import { eventually } from './support/eventually';
import { actor, HttpActor } from './support/http-actors';
import { PathDriver } from './support/path-driver';
import { startTestAppWithOwnRedis, TestApp } from './support/test-app';
import { REDIS_TEST_DATABASES } from '@jalon/issuance/testing/redis-test-databases';

// One marker per run, planted in every sensitive field: it must be readable where entitled, and found nowhere at rest.
const MARKER = `zq${randomBytes(8).toString('hex')}`;

/**
 * R14 end to end: personal data is sealed at rest from the start, each read of it is recorded,
 * and an erasure makes it unreadable everywhere — every table of the database, Redis, the stored
 * documents, the logs — while the path, its decisions and its documents' existence stand.
 */
describe('personal data: sealed at rest, read by role, erased for good (PostgreSQL, Redis)', () => {
  // A Redis database of this suite's own: every key in it is this app's, and all are searched.
  let testApp: TestApp & { redis: Redis };
  const redis = () => testApp.redis;
  let admin: HttpActor;
  let referent: HttpActor;
  let auditor: HttpActor;
  let dpo: HttpActor;
  let driver: PathDriver;
  let candidateId: string;
  let enrollmentId: string;
  let accommodationId: string;
  let attestation: string;
  const logs: string[] = [];
  const restore: (() => void)[] = [];

  /**
   * Everything Nest and the app print goes through these: kept to search, not printed (at debug
   * level the app says a lot, and the errors this suite provokes on purpose are not failures).
   */
  function captureOutput(stream: NodeJS.WriteStream): void {
    const write = stream.write.bind(stream);
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      logs.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      callback?.();
      return true;
    }) as typeof stream.write;
    restore.push(() => (stream.write = write));
  }

  const db = () => testApp.app.get<Storage>(STORAGE).sql.db;
  const documentsDir = () => testApp.config.documentsDir;

  /** Every base table of the database whose rows, as text, contain the needle. */
  async function tablesHolding(needle: string): Promise<string[]> {
    const { rows: tables } = await sql<{ schema: string; name: string }>`SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
      WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')`.execute(db());
    expect(tables.length).toBeGreaterThan(5);
    const holding: string[] = [];
    for (const t of tables) {
      const { rows } = await sql<{
        n: number;
      }>`SELECT count(*)::int AS n FROM ${sql.table(`${t.schema}.${t.name}`)} AS r WHERE r::text ILIKE ${`%${needle}%`}`.execute(db());
      if (rows[0].n > 0) holding.push(`${t.schema}.${t.name}`);
    }
    return holding;
  }

  /** Every Redis key of the database whose value (any type) or name contains the needle. */
  async function redisKeysHolding(needle: string): Promise<string[]> {
    const holding: string[] = [];
    for (const key of await redis().keys('*')) {
      const type = await redis().type(key);
      const values: unknown =
        type === 'string'
          ? await redis().get(key)
          : type === 'hash'
            ? await redis().hgetall(key)
            : type === 'list'
              ? await redis().lrange(key, 0, -1)
              : type === 'set'
                ? await redis().smembers(key)
                : type === 'zset'
                  ? await redis().zrange(key, '0', '-1')
                  : type === 'stream'
                    ? await redis().xrange(key, '-', '+')
                    : null;
      if (`${key} ${JSON.stringify(values)}`.includes(needle)) holding.push(key);
    }
    return holding;
  }

  /** Every stored document file that contains the needle, in its bytes. */
  function filesHolding(needle: string): string[] {
    if (!existsSync(documentsDir())) return [];
    return readdirSync(documentsDir()).filter((name) => readFileSync(join(documentsDir(), name)).includes(needle));
  }

  const logsHolding = (needle: string) => logs.filter((line) => line.includes(needle));

  beforeAll(async () => {
    captureOutput(process.stdout);
    captureOutput(process.stderr);
    captureOutput(process.stderr);
    // Verbose logs: whatever the app says, at every level, is searched.
    testApp = await startTestAppWithOwnRedis(REDIS_TEST_DATABASES.personalData, { LOG_LEVEL: 'debug' });
    admin = actor(testApp.app, 'admin');
    referent = actor(testApp.app, 'referent');
    auditor = actor(testApp.app, 'auditor');
    dpo = actor(testApp.app, 'dpo');
    const referential: Referential = (await admin.get('/referentials/data-ia-quatre-blocs/versions/1').expect(200)).body;
    driver = new PathDriver(referential, { admin, jury: actor(testApp.app, 'jury'), assessor: actor(testApp.app, 'assessor'), referent });

    candidateId = (
      await admin
        .post('/candidates', {
          birthName: `Nom${MARKER}`,
          usageName: `Usage${MARKER}`,
          firstNames: [`Prenom${MARKER}`],
          birthDate: '2001-03-14',
          sex: 'F',
          birthPlace: `Lieu${MARKER}`,
          email: `${MARKER}@example.org`,
        })
        .expect(201)
    ).body.id;
    enrollmentId = await driver.enroll({ candidateId });
    accommodationId = (
      await referent
        .post(
          `/enrollments/${enrollmentId}/accommodations`,
          { kind: 'tiers-temps', validFrom: '2026-01-01', details: `Details${MARKER}` },
          { 'Idempotency-Key': `grant-${randomBytes(6).toString('hex')}` },
        )
        .expect(201)
    ).body.id;
    await referent
      .post(`/enrollments/${enrollmentId}/accommodations/${accommodationId}/amendment`, {
        kind: 'tiers-temps',
        validFrom: '2026-01-01',
        details: `Amended${MARKER}`,
        reason: `Reason${MARKER}`,
      })
      .expect(200);
    await referent.post(`/enrollments/${enrollmentId}/jury-consent`, { note: `Note${MARKER}` }).expect(200);
    // A bloc validated with the tiers-temps applied: its attestation is issued, rendered with the name.
    await driver.passBloc(enrollmentId, referential.blocs[0].code, { applied: [accommodationId], extraTime: true });
    const documents = await eventually(async () => {
      const list = (await admin.get(`/enrollments/${enrollmentId}/documents`).expect(200)).body as { number: string }[];
      expect(list).toHaveLength(1);
      return list;
    }, 30_000);
    attestation = documents[0].number;
  }, 120_000);

  afterAll(async () => {
    restore.forEach((undo) => undo());
    await testApp?.close();
  });

  it('the searches find a planted marker in a table, a Redis key, a document file and the logs (they can fail)', async () => {
    // A token of its own: a log line cannot be taken back, and the marker must stay out of the logs.
    const planted = `probe${randomBytes(8).toString('hex')}`;
    await sql`CREATE TABLE search_probe (note text)`.execute(db());
    await sql`INSERT INTO search_probe VALUES (${planted})`.execute(db());
    await redis().hset('search-probe', 'note', planted);
    writeFileSync(join(documentsDir(), 'search-probe.txt'), planted);
    new Logger('SearchProbe').debug(planted);
    try {
      expect(await tablesHolding(planted)).toEqual(['public.search_probe']);
      expect(await redisKeysHolding(planted)).toEqual(['search-probe']);
      expect(filesHolding(planted)).toEqual(['search-probe.txt']);
      expect(logsHolding(planted)).toHaveLength(1);
    } finally {
      await sql`DROP TABLE search_probe`.execute(db());
      await redis().del('search-probe');
      rmSync(join(documentsDir(), 'search-probe.txt'));
    }
  });

  it('before any erasure: entitled readers read it, and it is nowhere at rest in clear — not the log, read models, idempotency answers, jobs or logs', async () => {
    const identity = (await admin.get(`/candidates/${candidateId}`).expect(200)).body.identity;
    expect(identity).toMatchObject({ birthName: `Nom${MARKER}`, birthPlace: `Lieu${MARKER}` });
    const path = (await referent.get(`/enrollments/${enrollmentId}`).expect(200)).body;
    expect(path.accommodations).toMatchObject({
      view: 'full',
      accommodations: [{ accommodationId, terms: { kind: 'tiers-temps', details: `Amended${MARKER}` } }],
    });
    expect((await redis().keys('*')).length).toBeGreaterThan(0);
    expect(await tablesHolding(MARKER)).toEqual([]);
    expect(await redisKeysHolding(MARKER)).toEqual([]);
    expect(logsHolding(MARKER)).toEqual([]);
    expect(readdirSync(documentsDir()).filter((name) => name.startsWith(attestation))).toHaveLength(2);
    // Every read above was recorded, without a value.
    const { rows } = await sql<{
      view: string;
      actor_role: string;
    }>`SELECT view, actor_role FROM personal_data_reads WHERE candidate_id = ${candidateId} ORDER BY id`.execute(db());
    expect(rows).toEqual([
      { view: 'identity', actor_role: 'admin' },
      { view: 'accommodations:full', actor_role: 'referent' },
    ]);
  });

  it('over HTTP each role sees what it must of the measures and of the durations (R14, R10)', async () => {
    const get = (who: HttpActor) =>
      who
        .get(`/enrollments/${enrollmentId}`)
        .expect(200)
        .then((r) => r.body as { accommodations: { view: string }; sittings: { timedParts: { effectiveDurationMinutes?: number }[] }[] });
    const jury = actor(testApp.app, 'jury');
    const ownAssessor = actor(testApp.app, 'assessor');
    const otherAssessor = actor(testApp.app, 'assessor', 'assessor-2');
    const candidate = actor(testApp.app, 'candidate', candidateId);

    const forAdmin = await get(admin);
    expect(forAdmin.accommodations).toEqual({ view: 'none' });
    expect(forAdmin.sittings[0].timedParts[0].effectiveDurationMinutes).toBeGreaterThan(0);
    expect((await get(candidate)).accommodations).toMatchObject({ view: 'full', accommodations: [{ terms: { details: `Amended${MARKER}` } }] });
    const forAssessor = await get(ownAssessor);
    expect(forAssessor.accommodations).toMatchObject({
      view: 'to-apply',
      sittings: [{ measures: [{ kind: 'tiers-temps', instruction: expect.stringContaining('Temps majoré') }] }],
    });
    expect(JSON.stringify(forAssessor)).not.toContain(MARKER);
    const forOtherAssessor = await get(otherAssessor);
    expect(forOtherAssessor.accommodations).toEqual({ view: 'to-apply', sittings: [] });
    expect(forOtherAssessor.sittings[0].timedParts[0]).not.toHaveProperty('effectiveDurationMinutes');
    const forAuditor = await get(auditor);
    expect(forAuditor.accommodations).toMatchObject({ view: 'kinds', accommodations: [{ accommodationId, kind: 'tiers-temps' }] });
    expect(JSON.stringify(forAuditor)).not.toContain(MARKER);
    // Consent was recorded: the jury sees the measure, not its details; once withdrawn, nothing, not even the durations.
    const forJury = await get(jury);
    expect(forJury.accommodations).toMatchObject({ view: 'consented', accommodations: [{ accommodationId, measure: { kind: 'tiers-temps' } }] });
    expect(JSON.stringify(forJury)).not.toContain(MARKER);
    const withdrawn = (await referent.post(`/enrollments/${enrollmentId}/jury-consent/withdrawal`, {}).expect(200)).body.position;
    const withoutConsent = (await jury.get(`/enrollments/${enrollmentId}?consistentWith=${withdrawn}`).expect(200)).body;
    expect(withoutConsent.accommodations).toEqual({ view: 'none' });
    expect(withoutConsent.sittings[0].timedParts[0]).not.toHaveProperty('effectiveDurationMinutes');

    // Each read of the values was recorded, by whom and through which view; admins and the other assessor read none.
    const { rows } = await sql<{
      actor_id: string;
      view: string;
    }>`SELECT actor_id, view FROM personal_data_reads WHERE candidate_id = ${candidateId} ORDER BY id`.execute(db());
    expect(rows.slice(2)).toEqual([
      { actor_id: candidateId, view: 'accommodations:full' },
      { actor_id: 'assessor-1', view: 'accommodations:to-apply' },
      { actor_id: 'auditor-1', view: 'accommodations:kinds' },
      { actor_id: 'jury-1', view: 'accommodations:consented' },
    ]);
    // The DPO (and auditors) read the log itself; no one else does, and a DPO of another organisation finds no such candidate.
    const log = (await dpo.get(`/candidates/${candidateId}/personal-data-reads`).expect(200)).body as {
      actorId: string;
      actorRole: string;
      view: string;
      subjects: string[];
      readAt: string;
    }[];
    expect(log.map((r) => [r.actorRole, r.view])).toEqual([
      ['admin', 'identity'],
      ['referent', 'accommodations:full'],
      ['candidate', 'accommodations:full'],
      ['assessor', 'accommodations:to-apply'],
      ['auditor', 'accommodations:kinds'],
      ['jury', 'accommodations:consented'],
    ]);
    expect(log[1].subjects).toEqual([`accommodation:${accommodationId}`]);
    expect(JSON.stringify(log)).not.toContain(MARKER);
    await auditor.get(`/candidates/${candidateId}/personal-data-reads`).expect(200);
    await admin.get(`/candidates/${candidateId}/personal-data-reads`).expect(403);
    await actor(testApp.app, 'dpo', 'dpo-2', 'org-2').get(`/candidates/${candidateId}/personal-data-reads`).expect(404);
  });

  it('a read of personal data that cannot be recorded is refused, and says nothing of the data', async () => {
    await sql`ALTER TABLE personal_data_reads ADD CONSTRAINT refuse_reads_for_test CHECK (false) NOT VALID`.execute(db());
    try {
      const refused = await referent.get(`/enrollments/${enrollmentId}`).expect(503);
      expect(refused.body.code).toBe('PRIVACY.READ_NOT_RECORDED');
      expect(JSON.stringify(refused.body)).not.toContain(MARKER);
      expect((await admin.get(`/candidates/${candidateId}`).expect(503)).body.code).toBe('PRIVACY.READ_NOT_RECORDED');
      // What reveals nothing is still answered.
      expect((await admin.get(`/enrollments/${enrollmentId}`).expect(200)).body.accommodations).toEqual({ view: 'none' });
    } finally {
      await sql`ALTER TABLE personal_data_reads DROP CONSTRAINT refuse_reads_for_test`.execute(db());
    }
  });

  it('only the DPO erases; then identity and accommodations read "erased", documents are gone, the path and its decisions stand', async () => {
    await admin.post(`/candidates/${candidateId}/erasure`).expect(403);
    await referent.post(`/candidates/${candidateId}/erasure`).expect(403);
    const erased = (await dpo.post(`/candidates/${candidateId}/erasure`).expect(200)).body;
    expect(erased).toMatchObject({ candidateId, enrollments: [enrollmentId], documentFilesRemoved: 1, events: ['CandidatePersonalDataErased'] });
    // Again: nothing more to do, nothing more recorded.
    expect((await dpo.post(`/candidates/${candidateId}/erasure`).expect(200)).body).toMatchObject({ documentFilesRemoved: 0, events: [] });

    for (const projection of testApp.app.get(ProjectionRunner).projections) await testApp.app.get(ProjectionRunner).rebuild(projection.name);

    expect((await admin.get(`/candidates/${candidateId}`).expect(200)).body).toMatchObject({
      candidateId,
      identity: { withheld: 'erased' },
      erasedAt: expect.any(String),
    });
    const path = (await referent.get(`/enrollments/${enrollmentId}?consistentWith=${erased.position}`).expect(200)).body;
    expect(path.accommodations).toMatchObject({ view: 'full', accommodations: [{ accommodationId, terms: { withheld: 'erased' } }] });
    expect(path.blocs[0]).toMatchObject({ status: 'validated' });
    expect(path.personalDataErasedAt).toEqual(expect.any(String));
    // The rebuilt read model says "erased" where it held sealed values.
    const { rows: stored } = await sql<{ state: string }>`SELECT folded_state::text AS state FROM candidate_paths WHERE candidate_id = ${candidateId}`.execute(
      db(),
    );
    expect(stored[0].state).toContain('"withheld":"erased"');
    expect(stored[0].state).not.toContain('"withheld":"sealed"');
    expect((await auditor.get(`/enrollments/${enrollmentId}`).expect(200)).body.accommodations).toMatchObject({
      view: 'kinds',
      accommodations: [{ accommodationId, kind: { withheld: 'erased' }, appliedAt: [expect.any(String)] }],
    });
    const verification = (await admin.get(`/verifications/${attestation}`).expect(200)).body;
    expect(verification).toMatchObject({ number: attestation, status: 'valid', holderErased: true, document: { holder: null } });
    expect(readdirSync(documentsDir()).filter((name) => name.startsWith(attestation))).toEqual([]);
    // Its files went with the data: both downloads say so alike.
    for (const file of ['pdf', 'credential'])
      expect((await admin.get(`/enrollments/${enrollmentId}/documents/${attestation}/${file}`).expect(410)).body.code).toBe('DOCUMENT.ERASED');
    // No new personal data for an erased candidate.
    expect(
      (await referent.post(`/enrollments/${enrollmentId}/accommodations`, { kind: 'adapted-supports', validFrom: '2026-01-01' }).expect(409)).body.code,
    ).toBe('PERSONAL_DATA.ERASED');
  });

  it('after the erasure and a rebuild of every projection, the marker is found nowhere: every table, Redis, the documents, the logs', async () => {
    expect(await tablesHolding(MARKER)).toEqual([]);
    expect(await redisKeysHolding(MARKER)).toEqual([]);
    expect(filesHolding(MARKER)).toEqual([]);
    expect(logsHolding(MARKER)).toEqual([]);
    // The key is gone for good, not merely flagged.
    const { rows } = await sql<{ wrapped_key: string | null }>`SELECT wrapped_key FROM candidate_keys WHERE candidate_id = ${candidateId}`.execute(db());
    expect(rows).toEqual([{ wrapped_key: null }]);
  });
});
