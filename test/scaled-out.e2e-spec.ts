import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { JwtService } from '@nestjs/jwt';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { sql } from 'kysely';
import { indexReferential, Referential, Role } from '@jalon/domain';
import { comparePositions, formatPosition, GlobalPosition, openSqlDatabase, SqlDatabase, SqlDb, SqlEventStore } from '@jalon/event-store';
import { killAllChildWorkers } from '@jalon/event-store/testing/child-worker';
import { createTestDatabase, TestDatabase } from '@jalon/event-store/testing/postgres-test-database';
import { createStatusListProjection, ISSUANCE_QUEUE } from '@jalon/issuance';
import { REDIS_TEST_DATABASES, redisTestUrl } from '@jalon/issuance/testing/redis-test-databases';
import { CANDIDATE_PATH_PROJECTION, createAllProjections } from '@jalon/read-models';
import { eventually } from './support/eventually';
import { runCliWith } from './support/run-cli';
import { freePort, ServiceProcess, startService, stopService } from './support/service-process';

/**
 * The production shape, scaled out (issue 19, part 3): two api processes and two workers, each
 * started from its entry point in a process of its own, on one PostgreSQL database and one Redis,
 * as docker-compose.yml's replicas run them. Over HTTP, through both apis:
 *
 * - commands spread over the two apis, the conflicting ones sent through both at once on the same
 *   enrollments (a sitting held twice, assessed twice, a bloc validated twice, a certification
 *   awarded twice) and the keyed ones (Idempotency-Key) sent to both: one of each pair is
 *   acknowledged, the other refused or answered the first answer;
 * - the issuance documents each decision once, the two workers sharing the jobs through Redis;
 * - the rate limit and the idempotency keys hold across the apis: a caller over the limit on one
 *   is refused on the other, a key replayed on the other answers the first answer;
 * - each projection batch is applied by one worker at a time (the runner's advisory lock: watched
 *   in pg_locks, each holder named by its session's application_name) and never twice (the
 *   checkpoints' events_applied equal the events of the log); SIGKILL of the worker caught holding
 *   a projection's lock hands the projections to the other, measured and bounded;
 * - in the end, the log holds every acknowledged command once and nothing else but the documents
 *   issued, and the read models equal a rebuild by `npm run cli -- projections rebuild`.
 */

const ORGANISATION = 'org-1';
const REFERENTIAL = { referentialId: 'data-ia-quatre-blocs', version: '1' };
/** Enrollments taken to their certificate through both apis at once, in phase one. */
const ENROLLMENTS = 6;
/** Per caller and route, on every api: low, so the throttle check is quick; the load spreads its callers to stay under it. */
const THROTTLE_PER_MINUTE = 60;
/** Clients writing through both apis while a worker is killed. */
const LOAD_CLIENTS = 2;
/** Generous: on this 2-core machine, with other suites running, the handover takes well under a second. */
const HANDOVER_BOUND_MS = 15_000;
/** ProjectionRunner's advisory lock key of a projection (libs/projections/src/projection-runner.ts, `lockKey`). */
const projectionLockKey = (name: string) => `jalon.projection:${name}`;
const WORKER_PREFIX = 'jalon-worker';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const count = async (db: SqlDb, query: ReturnType<typeof sql>) => Number(((await query.execute(db)).rows[0] as { n: string | null }).n ?? 0);

/** An answer of an api, as the test keeps it. */
interface Answer {
  readonly api: string;
  readonly method: string;
  readonly path: string;
  readonly status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly body: any;
  readonly replayed: boolean;
  readonly headers: Headers;
}

interface Api {
  readonly name: string;
  readonly base: string;
}

/** Every command answer of the run: the acknowledged ones are checked against the log at the end. */
const answers: Answer[] = [];

async function send(api: Api, method: 'GET' | 'POST', path: string, token: string, body?: object, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(`${api.base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: kept as text
  }
  const answer: Answer = {
    api: api.name,
    method,
    path,
    status: response.status,
    body: parsed,
    replayed: response.headers.get('idempotent-replayed') === 'true',
    headers: response.headers,
  };
  if (method === 'POST') answers.push(answer);
  return answer;
}

/** A POST that must succeed with `status`: its answer, or an error saying what came instead. */
async function command(api: Api, path: string, token: string, body: object, status: number, headers: Record<string, string> = {}): Promise<Answer> {
  const answer = await send(api, 'POST', path, token, body, headers);
  if (answer.status !== status) throw new Error(`${api.name} POST ${path} answered ${answer.status} ${JSON.stringify(answer.body)}, not ${status}`);
  return answer;
}

describe('two api processes and two workers on one PostgreSQL and Redis (separate processes)', () => {
  let database: TestDatabase;
  let home: SqlDatabase;
  let store: SqlEventStore;
  let redis: Redis;
  let dataDir: string;
  let apis: [Api, Api];
  const services: ServiceProcess[] = [];
  let workers: ServiceProcess[];
  let env: Record<string, string>;
  let referential: Referential;
  let projections: string[];
  const redisPrefix = `jalon-scaled-${process.pid}-${randomBytes(4).toString('hex')}`;
  const redisUrl = redisTestUrl(REDIS_TEST_DATABASES.issuancePrefixed);
  const secret = randomBytes(32).toString('hex');
  const jwt = new JwtService({ secret });
  const token = (role: Role, subject: string) => jwt.sign({ role, org: ORGANISATION }, { subject, expiresIn: '1h' });
  const started = performance.now();
  const timings: Record<string, number> = {};
  const lap = (name: string, since: number) => (timings[name] = Math.round(performance.now() - since));

  /** Which session holds each projection's lock now, by its application_name (one per process). */
  async function lockHolders(): Promise<{ projection: string; holder: string }[]> {
    const { rows } = await sql<{ projection: string; holder: string }>`
      SELECT p.name AS projection, a.application_name AS holder
      FROM unnest(${projections}::text[]) AS p(name)
      JOIN pg_locks l ON l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
        AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
        AND l.classid::bigint = ((hashtext(${projectionLockKey('')} || p.name)::bigint >> 32) & 4294967295)
        AND l.objid::bigint = (hashtext(${projectionLockKey('')} || p.name)::bigint & 4294967295)
      JOIN pg_stat_activity a ON a.pid = l.pid`.execute(home.db);
    return rows;
  }

  /** Samples the lock holders every few ms, in the background, for the whole run. */
  const samples: { at: number; projection: string; holder: string }[] = [];
  let sampling: Promise<void> | undefined;
  let samplingStopped = false;
  const startSampling = () => {
    sampling = (async () => {
      while (!samplingStopped) {
        const at = performance.now();
        for (const row of await lockHolders().catch(() => [])) samples.push({ at, ...row });
        await sleep(5);
      }
    })();
  };

  async function checkpoints(): Promise<{ projection: string; position: GlobalPosition; eventsApplied: number; status: string }[]> {
    const { rows } = await sql<{ projection: string; commit: string; prepare: string; events_applied: string; status: string }>`
      SELECT projection, commit_position::text AS commit, prepare_position::text AS prepare, events_applied::text AS events_applied, status
      FROM projection_checkpoints ORDER BY projection`.execute(home.db);
    return rows.map((r) => ({
      projection: r.projection,
      position: { commit: BigInt(r.commit), prepare: BigInt(r.prepare) },
      eventsApplied: Number(r.events_applied),
      status: r.status,
    }));
  }

  /**
   * The last event written, whether the log shows it yet or not: the log shows an event once no
   * older transaction runs anywhere on the server, and suites running beside this one hold it back.
   */
  async function lastWritten(): Promise<GlobalPosition> {
    const { rows } = await sql<{ commit: string; prepare: string }>`
      SELECT transaction_id::text AS commit, global_position::text AS prepare FROM events ORDER BY transaction_id DESC, global_position DESC LIMIT 1`.execute(
      home.db,
    );
    return { commit: BigInt(rows[0].commit), prepare: BigInt(rows[0].prepare) };
  }

  /** Waits until every projection has applied `position` (everything written so far by default); returns the ms it took. */
  async function projected(position?: GlobalPosition, timeoutMs = 60_000): Promise<number> {
    const since = performance.now();
    const target = position ?? (await lastWritten());
    for (;;) {
      const all = await checkpoints();
      const failed = all.filter((c) => c.status !== 'running');
      if (failed.length > 0) throw new Error(`projections failed: ${failed.map((c) => c.projection).join(', ')}`);
      if (all.every((c) => comparePositions(c.position, target) >= 0)) return performance.now() - since;
      if (performance.now() - since > timeoutMs) throw new Error(`the projections did not reach ${formatPosition(target)} within ${timeoutMs} ms`);
      await sleep(5);
    }
  }

  beforeAll(async () => {
    database = await createTestDatabase('jalon_scaled');
    dataDir = mkdtempSync(join(tmpdir(), 'jalon-scaled-'));
    redis = new Redis(redisUrl);
    const [portA, portB] = [await freePort(), await freePort()];
    // What every process shares, as docker-compose.yml gives it: the database, Redis under one
    // prefix, the secret, the master keys, the public address, and the documents' volume.
    env = {
      EVENT_STORE: 'postgres',
      JWT_SECRET: secret,
      MASTER_KEYS: `scaled-1:${randomBytes(32).toString('base64')}`,
      PUBLIC_BASE_URL: 'https://jalon.example.org',
      DATA_DIR: dataDir,
      REDIS_URL: redisUrl,
      REDIS_PREFIX: redisPrefix,
      LOG_LEVEL: 'error',
      THROTTLE_PER_MINUTE: String(THROTTLE_PER_MINUTE),
    };
    // Each process's sessions carry its name (application_name), so pg_locks tells who holds what.
    const databaseUrl = (name: string) => `${database.url}?application_name=${name}`;
    const api = (name: string, port: number) =>
      startService('api', name, { ...env, DATABASE_URL: databaseUrl(name), PORT: String(port), RUN_PROJECTIONS: 'false', RUN_ISSUANCE: 'false' });
    const worker = (name: string) => startService('worker', name, { ...env, DATABASE_URL: databaseUrl(name) });
    // All four at once, as `docker-compose up` starts the replicas: the migrations, the catalogue's
    // publication and the projections' tables are each done once whoever comes first.
    const since = performance.now();
    const all = await Promise.allSettled([api('jalon-api-a', portA), api('jalon-api-b', portB), worker(`${WORKER_PREFIX}-a`), worker(`${WORKER_PREFIX}-b`)]);
    for (const result of all) if (result.status === 'fulfilled') services.push(result.value);
    const failed = all.filter((r) => r.status === 'rejected');
    if (failed.length > 0) throw (failed[0] as PromiseRejectedResult).reason;
    lap('start', since);
    workers = services.filter((s) => s.app === 'worker');
    apis = [
      { name: 'api-a', base: `http://127.0.0.1:${portA}` },
      { name: 'api-b', base: `http://127.0.0.1:${portB}` },
    ];
    home = await openSqlDatabase({ kind: 'postgres', url: database.url });
    store = new SqlEventStore(home);
    projections = (await checkpoints()).map((c) => c.projection);
    startSampling();
    const published = await send(apis[0], 'GET', `/referentials/${REFERENTIAL.referentialId}/versions/${REFERENTIAL.version}`, token('admin', 'admin-0'));
    expect(published.status).toBe(200);
    referential = published.body;
  }, 180_000);

  afterAll(async () => {
    samplingStopped = true;
    await sampling;
    await Promise.all(services.map((s) => stopService(s).catch(() => undefined)));
    await killAllChildWorkers();
    await home?.close();
    await database?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    if (redis) {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${redisPrefix}:*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length > 0) await redis.del(...keys);
      } while (cursor !== '0');
      redis.disconnect();
    }
    process.stdout.write(`scaled-out test: ${Math.round(performance.now() - started)} ms in all ${JSON.stringify(timings)}\n`);
  });

  const criteria = (epreuveCode: string) => [...indexReferential(referential).epreuves.get(epreuveCode)!.criteria];
  const identity = (n: string) => ({
    birthName: `Scaled${n}`,
    firstNames: ['Léa'],
    birthDate: '2001-03-14',
    sex: 'F',
    birthPlace: 'Lyon (69)',
    email: `scaled-${n}@example.org`,
  });
  const enrollmentBody = (candidateId: string) => ({ candidateId, ...REFERENTIAL, cohort: '2026-A', accessRoute: 'formation-continue', optionBlocs: [] });
  const heldBody = (epreuveCode: string) => ({
    heldAt: '2026-06-15T09:00:00Z',
    timedParts: (indexReferential(referential).epreuves.get(epreuveCode)!.epreuve.timedParts ?? []).map((p) => ({
      code: p.code,
      actualDurationMinutes: p.baseDurationMinutes,
    })),
    accommodationsApplied: [],
  });
  const allMet = (epreuveCode: string) => ({ results: criteria(epreuveCode).map((criterion) => ({ criterion, met: true })) });

  /** The same command through both apis at once: what each answered. */
  const races: { path: string; answers: Answer[]; refusal: string }[] = [];
  async function race(path: string, subject: [Role, string], body: object, refusal: string): Promise<Answer> {
    const both = await Promise.all(apis.map((api) => send(api, 'POST', path, token(...subject), body)));
    races.push({ path, answers: both, refusal });
    const won = both.find((a) => a.status < 300);
    if (!won) throw new Error(`POST ${path} through both apis: neither was acknowledged: ${JSON.stringify(both.map((a) => [a.status, a.body]))}`);
    return won;
  }

  /** A keyed command sent to both apis at once, each retried while the other runs it (409 IN_PROGRESS), as a client retries. */
  const keyed: { key: string; answers: Answer[] }[] = [];
  async function keyedOnBoth(path: string, subject: [Role, string], body: object, key: string): Promise<Answer> {
    const both = await Promise.all(
      apis.map(async (api) => {
        for (let attempt = 0; ; attempt++) {
          const answer = await send(api, 'POST', path, token(...subject), body, { 'idempotency-key': key });
          if (answer.status !== 409 || answer.body?.code !== 'IDEMPOTENCY.IN_PROGRESS' || attempt > 100) return answer;
          await sleep(50);
        }
      }),
    );
    keyed.push({ key, answers: both });
    const first = both.find((a) => !a.replayed && a.status < 300);
    if (!first) throw new Error(`POST ${path} under ${key}: no api ran it: ${JSON.stringify(both.map((a) => [a.status, a.body]))}`);
    return first;
  }

  it('serves commands spread over both apis, the conflicting ones sent through both at once: one of each is acknowledged, the other refused', async () => {
    const since = performance.now();
    await Promise.all(
      Array.from({ length: ENROLLMENTS }, async (_, i) => {
        const [admin, assessor, jury] = [
          ['admin', `admin-${i}`],
          ['assessor', `assessor-${i}`],
          ['jury', `jury-${i}`],
        ] as [Role, string][];
        const candidate = await keyedOnBoth('/candidates', admin, identity(String(i)), `register-${i}`);
        const enrollment = await keyedOnBoth('/enrollments', admin, enrollmentBody(candidate.body.id), `enroll-${i}`);
        const id = enrollment.body.id as string;
        for (const [n, bloc] of referential.blocs.entries()) {
          const epreuve = bloc.epreuves[0].code;
          const sitting = await command(
            apis[(i + n) % 2],
            `/enrollments/${id}/sittings`,
            token(...admin),
            {
              epreuveCode: epreuve,
              scheduledAt: '2026-06-15T09:00:00Z',
              assessorIds: [assessor[1]],
            },
            201,
          );
          const sittingId = sitting.body.id as string;
          await race(`/enrollments/${id}/sittings/${sittingId}/held`, admin, heldBody(epreuve), 'SITTING.ALREADY_HELD');
          await race(`/enrollments/${id}/sittings/${sittingId}/assessments`, assessor, allMet(epreuve), 'ASSESSMENT.ALREADY_RECORDED');
          await race(`/enrollments/${id}/blocs/${bloc.code}/validation`, jury, {}, 'BLOC.ALREADY_VALIDATED');
        }
        await race(`/enrollments/${id}/final-decision`, jury, { decision: 'awarded', place: 'Lille' }, 'ENROLLMENT.CERTIFIED');
      }),
    );
    lap('conflicting-commands', since);

    // Each race: one acknowledged, the other refused for what the first did (never a second write, never a 5xx).
    const outcomes = races.map(({ path, answers: both, refusal }) => ({
      path,
      acknowledged: both.filter((a) => a.status < 300).length,
      refused: both.filter((a) => a.status === 409 && a.body?.code === refusal).length,
    }));
    expect(outcomes.filter((o) => o.acknowledged !== 1 || o.refused !== 1)).toEqual([]);
    expect(races).toHaveLength(ENROLLMENTS * (3 * referential.blocs.length + 1));
    // Both apis won races: the commands really were spread.
    const winners = new Set(races.map((r) => r.answers.find((a) => a.status < 300)!.api));
    expect([...winners].sort()).toEqual(['api-a', 'api-b']);

    // Each keyed command ran once, on one api; the other answered its answer.
    for (const { key, answers: both } of keyed) {
      expect({ key, ran: both.filter((a) => !a.replayed).length, replayed: both.filter((a) => a.replayed).length }).toEqual({ key, ran: 1, replayed: 1 });
      expect(both[0].status).toBe(both[1].status);
      expect(both[0].body).toEqual(both[1].body);
    }
  }, 120_000);

  it('issues each decision’s document once, the two workers sharing the jobs through Redis', async () => {
    const since = performance.now();
    const decisions = () => count(home.db, sql`SELECT count(*)::text AS n FROM events WHERE event_type IN ('BlocValidated', 'CertificationAwarded')`);
    const issued = () => count(home.db, sql`SELECT count(*)::text AS n FROM events WHERE event_type = 'DocumentIssued'`);
    // Four attestations and a certificate per enrollment.
    expect(await decisions()).toBe(ENROLLMENTS * (referential.blocs.length + 1));
    await eventually(async () => expect(await issued()).toBe(await decisions()), 90_000);
    lap('issuance', since);

    const { rows: documents } = await sql<{ decision: string; number: string; n: string }>`
      SELECT data->'document'->>'decisionEventId' AS decision, data->'document'->>'number' AS number, count(*) OVER (PARTITION BY data->'document'->>'decisionEventId')::text AS n
      FROM events WHERE event_type = 'DocumentIssued'`.execute(home.db);
    expect(documents.filter((d) => d.n !== '1')).toEqual([]);
    const { rows: undocumented } = await sql<{ id: string }>`
      SELECT event_id::text AS id FROM events d WHERE d.event_type IN ('BlocValidated', 'CertificationAwarded')
        AND NOT EXISTS (SELECT 1 FROM events i WHERE i.event_type = 'DocumentIssued' AND i.data->'document'->>'decisionEventId' = d.event_id::text)`.execute(
      home.db,
    );
    expect(undocumented).toEqual([]);
    // In the documents' volume the workers share: each document's two files, once.
    const files = readdirSync(join(dataDir, 'documents')).filter((name) => !name.endsWith('.part'));
    expect(files.sort()).toEqual(documents.flatMap((d) => [`${d.number}.pdf`, `${d.number}.vc.jwt`]).sort());

    // Which process ran each job (BullMQ's processedBy: the worker's host and pid), none failed.
    const queue = new Queue(ISSUANCE_QUEUE, { connection: redis, prefix: redisPrefix });
    try {
      const names = new Map(workers.map((w) => [`${hostname()}:${w.child.pid}`, w.name]));
      const ranBy = new Map<string, number>();
      for (const { decision } of documents) {
        const job = await queue.getJob(`issue-${decision}`);
        const by = names.get(job?.processedBy ?? '') ?? `unknown (${job?.processedBy})`;
        ranBy.set(by, (ranBy.get(by) ?? 0) + 1);
      }
      expect([...ranBy.keys()].sort()).toEqual(workers.map((w) => w.name).sort());
      expect(await queue.getJobCounts('failed', 'waiting', 'active', 'delayed')).toEqual({ failed: 0, waiting: 0, active: 0, delayed: 0 });
      process.stdout.write(`scaled-out test: ${documents.length} documents issued once each; jobs run by ${JSON.stringify(Object.fromEntries(ranBy))}\n`);
    } finally {
      await queue.close();
    }
  }, 120_000);

  it('holds the rate limit and the idempotency keys across the two apis', async () => {
    // A caller over the limit on one api is refused on the other: one count, kept in Redis.
    const caller = token('admin', 'admin-throttled');
    const statuses: { api: string; status: number; remaining: string | null }[] = [];
    for (let i = 0; statuses.at(-1)?.status !== 429 && i < 3 * THROTTLE_PER_MINUTE; i++) {
      const answer = await send(apis[i % 2], 'GET', '/enrollments?pageSize=1', caller);
      statuses.push({ api: answer.api, status: answer.status, remaining: answer.headers.get('x-ratelimit-remaining') });
    }
    const accepted = statuses.filter((s) => s.status === 200).length;
    // The limit, through the two apis together (a few more if the burst straddled a minute: the
    // previous one weighs less each ms), where a count per process would have let twice as many by.
    expect(accepted).toBeGreaterThanOrEqual(THROTTLE_PER_MINUTE);
    expect(accepted).toBeLessThanOrEqual(THROTTLE_PER_MINUTE + 5);
    // Each api counted the other's requests: what remains goes down from one answer to the next, whichever api gave it.
    expect(statuses.slice(0, 4).map((s) => [s.api, s.remaining])).toEqual([
      ['api-a', String(THROTTLE_PER_MINUTE - 1)],
      ['api-b', String(THROTTLE_PER_MINUTE - 2)],
      ['api-a', String(THROTTLE_PER_MINUTE - 3)],
      ['api-b', String(THROTTLE_PER_MINUTE - 4)],
    ]);
    const refusedOn = statuses.at(-1)!.api;
    const other = apis.find((a) => a.name !== refusedOn)!;
    const onOther = await send(other, 'GET', '/enrollments?pageSize=1', caller);
    expect(onOther.status).toBe(429);
    expect(onOther.body).toMatchObject({
      code: 'REQUEST.TOO_MANY',
      detail: expect.stringMatching(
        new RegExp(`^this caller made more than ${THROTTLE_PER_MINUTE} requests to this route in the last minute; retry in \\d+ seconds?$`),
      ),
    });
    expect(onOther.headers.get('retry-after')).not.toBeNull();
    // Another caller is not held back.
    expect((await send(other, 'GET', '/enrollments?pageSize=1', token('admin', 'admin-calm'))).status).toBe(200);

    // An Idempotency-Key replayed on the other api answers the first answer, and writes nothing more.
    const admin = token('admin', 'admin-keyed');
    const first = await command(apis[0], '/candidates', admin, identity('keyed'), 201, { 'idempotency-key': 'cross-api-1' });
    const replay = await command(apis[1], '/candidates', admin, identity('keyed'), 201, { 'idempotency-key': 'cross-api-1' });
    expect({ replayed: replay.replayed, body: replay.body }).toEqual({ replayed: true, body: first.body });
    expect(await count(home.db, sql`SELECT count(*)::text AS n FROM events WHERE stream_id = ${first.body.streamId}`)).toBe(first.body.events.length);
    // The same key for another request, on the other api, is refused as it would be on the first.
    const reused = await send(apis[1], 'POST', '/candidates', admin, identity('other'), { 'idempotency-key': 'cross-api-1' });
    expect({ status: reused.status, code: reused.body.code }).toEqual({ status: 422, code: 'IDEMPOTENCY.KEY_REUSED' });
  }, 60_000);

  it('applies each projection batch in one worker at a time, and hands the projections to the other within a bound when that one is SIGKILLed', async () => {
    const since = performance.now();
    // Writers through both apis, with a caller of their own at each round (the limit is per caller).
    let stopping = false;
    let round = 0;
    const writer = async () => {
      while (!stopping) {
        const n = round++;
        const api = apis[n % 2];
        const admin = token('admin', `admin-load-${n}`);
        const candidate = await command(api, '/candidates', admin, identity(`load-${n}`), 201, { 'idempotency-key': `load-register-${n}` });
        const enrollment = await command(apis[(n + 1) % 2], '/enrollments', admin, enrollmentBody(candidate.body.id), 201, {
          'idempotency-key': `load-enroll-${n}`,
        });
        const id = enrollment.body.id as string;
        const epreuve = referential.blocs[0].epreuves[0].code;
        const sitting = await command(
          api,
          `/enrollments/${id}/sittings`,
          admin,
          { epreuveCode: epreuve, scheduledAt: '2026-06-15T09:00:00Z', assessorIds: [`assessor-load-${n}`] },
          201,
        );
        await command(apis[(n + 1) % 2], `/enrollments/${id}/sittings/${sitting.body.id}/held`, admin, heldBody(epreuve), 200);
        await command(api, `/enrollments/${id}/sittings/${sitting.body.id}/assessments`, token('assessor', `assessor-load-${n}`), allMet(epreuve), 201);
      }
    };
    const writers = Array.from({ length: LOAD_CLIENTS }, writer);
    // The probe's candidate, registered before the kill: its enrollment is the first write after it.
    const probeAdmin = token('admin', 'admin-probe');
    const probeCandidate = await command(apis[0], '/candidates', probeAdmin, identity('probe'), 201);
    await sleep(1000);

    // The worker caught holding a projection's lock, mid-batch, is the one killed.
    const deadline = performance.now() + 15_000;
    let caught: { projection: string; holder: string } | undefined;
    while (!caught && performance.now() < deadline) caught = (await lockHolders()).find((h) => h.holder.startsWith(WORKER_PREFIX));
    const victimName = caught?.holder ?? [...samples].reverse().find((s) => s.holder.startsWith(WORKER_PREFIX))!.holder;
    const victim = workers.find((w) => w.name === victimName)!;
    const survivor = workers.find((w) => w !== victim)!;
    const killedAt = performance.now();
    victim.child.kill('SIGKILL');
    const headAtKill = await store.headPosition();

    // From the kill: the victim's lock released (PostgreSQL ends its sessions when their sockets close) …
    const released = (async () => {
      for (;;) {
        const [{ n }] = (await sql<{ n: string }>`SELECT count(*)::text AS n FROM pg_stat_activity WHERE application_name = ${victimName}`.execute(home.db))
          .rows;
        if (n === '0') return performance.now() - killedAt;
        if (performance.now() - killedAt > HANDOVER_BOUND_MS) throw new Error(`${victimName}'s sessions still there ${HANDOVER_BOUND_MS} ms after its SIGKILL`);
        await sleep(2);
      }
    })();
    // … every projection past what was written before the kill …
    const caughtUp = projected(headAtKill, HANDOVER_BOUND_MS).then(() => performance.now() - killedAt);
    // … and a write made after the kill read through the other api, its read models waited for (consistentWith).
    const readable = (async () => {
      const enrolled = await command(apis[0], '/enrollments', probeAdmin, enrollmentBody(probeCandidate.body.id), 201);
      for (;;) {
        const read = await send(apis[1], 'GET', `/enrollments/${enrolled.body.id}?consistentWith=${enrolled.body.position}`, probeAdmin);
        if (read.status === 200) return performance.now() - killedAt;
        if (read.status !== 503 || performance.now() - killedAt > HANDOVER_BOUND_MS)
          throw new Error(`the write after the kill did not become readable: ${read.status} ${JSON.stringify(read.body)}`);
      }
    })();
    const [releasedMs, caughtUpMs, readableMs] = await Promise.all([released, caughtUp, readable]);
    expect(await victim.exited).toEqual({ code: null, signal: 'SIGKILL' });

    // The writers go on a moment on the survivor alone, then stop; the projections reach the head.
    await sleep(1000);
    stopping = true;
    await Promise.all(writers);
    await projected();
    lap('kill-and-handover', since);

    // One worker at a time: a lock is held by one session, and after the kill only by the survivor.
    const before = samples.filter((s) => s.at < killedAt);
    const after = samples.filter((s) => s.at > killedAt + releasedMs);
    expect(after.filter((s) => s.holder === victimName)).toEqual([]);
    expect(after.some((s) => s.holder === survivor.name)).toBe(true);
    /** How many samples saw each process holding each projection's lock. */
    const holders = (list: typeof samples) => {
      const seen: Record<string, Record<string, number>> = Object.fromEntries(projections.map((p) => [p, {}]));
      for (const { projection, holder } of list) seen[projection][holder] = (seen[projection][holder] ?? 0) + 1;
      return seen;
    };
    // Before the kill, both workers took their turns with the busiest projection: they share the work, batch by batch.
    expect(Object.keys(holders(before)[CANDIDATE_PATH_PROJECTION]).sort()).toEqual(workers.map((w) => w.name).sort());
    // Never applied twice, none skipped: each checkpoint has counted every event of the log up to it
    // once (events_applied grows by each batch applied), and every projection reached the last event.
    const { rows: applied } = await sql<{ projection: string; applied: string; events: string; total: string }>`
      SELECT c.projection, c.events_applied::text AS applied,
        (SELECT count(*) FROM events e WHERE (e.transaction_id::text::bigint, e.global_position) <= (c.commit_position, c.prepare_position))::text AS events,
        (SELECT count(*) FROM events)::text AS total
      FROM projection_checkpoints c ORDER BY c.projection`.execute(home.db);
    expect(applied.filter((c) => c.applied !== c.events || c.events !== c.total)).toEqual([]);

    expect(releasedMs).toBeLessThan(HANDOVER_BOUND_MS);
    expect(caughtUpMs).toBeLessThan(HANDOVER_BOUND_MS);
    expect(readableMs).toBeLessThan(HANDOVER_BOUND_MS);
    process.stdout.write(
      `scaled-out test: SIGKILL of ${victimName} (${caught ? `caught holding the ${caught.projection} lock` : 'the last seen holding a lock'}), ${round} load rounds: ` +
        `its sessions gone and locks released after ${Math.round(releasedMs)} ms, every projection past the log's head at the kill after ${Math.round(caughtUpMs)} ms, ` +
        `a write made after the kill readable through the other api after ${Math.round(readableMs)} ms (bound ${HANDOVER_BOUND_MS} ms)\n` +
        `  lock holders sampled before the kill: ${JSON.stringify(holders(before))}\n  after: ${JSON.stringify(holders(after))}\n`,
    );
  }, 120_000);

  it('issues the decisions made after the kill with the one worker left', async () => {
    // A bloc validated on an enrollment of the load: the surviving worker documents it, once.
    const { rows } = await sql<{ stream: string }>`
      SELECT stream_id AS stream FROM events WHERE event_type = 'AssessmentRecorded' AND stream_id NOT IN (SELECT stream_id FROM events WHERE event_type = 'BlocValidated') LIMIT 1`.execute(
      home.db,
    );
    const id = rows[0].stream.slice('enrollment-'.length);
    await command(apis[1], `/enrollments/${id}/blocs/${referential.blocs[0].code}/validation`, token('jury', 'jury-after-kill'), {}, 200);
    await eventually(
      async () =>
        expect(
          await count(home.db, sql`SELECT count(*)::text AS n FROM events WHERE event_type = 'DocumentIssued' AND stream_id = ${`enrollment-${id}`}`),
        ).toBe(1),
      60_000,
    );
    expect(await count(home.db, sql`SELECT count(*)::text AS n FROM events WHERE event_type = 'DocumentIssued'`)).toBe(
      await count(home.db, sql`SELECT count(*)::text AS n FROM events WHERE event_type IN ('BlocValidated', 'CertificationAwarded')`),
    );
  }, 90_000);

  it('has every acknowledged command in the log once and nothing of the refused ones, and read models equal to a rebuild', async () => {
    const since = performance.now();
    await projected();
    // Every acknowledged answer that wrote: its events are in its stream at the revisions it answered, once;
    // the streams hold nothing else but the documents the workers issued.
    const firsts = answers.filter((a) => a.status < 300 && !a.replayed && a.body?.position);
    const replays = answers.filter((a) => a.status < 300 && a.replayed);
    const streams = [...new Set(firsts.map((a) => a.body.streamId as string))];
    const { rows } = await sql<{ stream: string; revision: string; type: string; position: string }>`
      SELECT stream_id AS stream, stream_revision::text AS revision, event_type AS type, transaction_id::text || '-' || global_position::text AS position
      FROM events WHERE stream_id = ANY(${streams}::text[]) ORDER BY stream_id, stream_revision`.execute(home.db);
    const log = new Map<string, { type: string; position: string; by: string[] }>(rows.map((r) => [`${r.stream}@${r.revision}`, { ...r, by: [] }]));
    const mismatches: string[] = [];
    for (const a of firsts) {
      const { streamId, revision, events, position } = a.body as { streamId: string; revision: number; events: string[]; position: string };
      events.forEach((type, i) => {
        const at = `${streamId}@${revision - events.length + 1 + i}`;
        const event = log.get(at);
        if (!event || event.type !== type) mismatches.push(`${a.api} ${a.path}: ${type} expected at ${at}, found ${event?.type ?? 'nothing'}`);
        else event.by.push(`${a.api} ${a.path}`);
      });
      if (log.get(`${streamId}@${revision}`)?.position !== position)
        mismatches.push(`${a.api} ${a.path}: answered position ${position}, the log has ${log.get(`${streamId}@${revision}`)?.position}`);
    }
    expect(mismatches).toEqual([]);
    const twice = [...log].filter(([, e]) => e.by.length > 1).map(([at, e]) => `${at} ${e.type} by ${e.by.join(', ')}`);
    const unacknowledged = [...log].filter(([, e]) => e.by.length === 0 && e.type !== 'DocumentIssued').map(([at, e]) => `${at} ${e.type}`);
    expect({ twice, unacknowledged }).toEqual({ twice: [], unacknowledged: [] });
    // A replay answered what a first answer said.
    const firstByPosition = new Map(firsts.map((a) => [a.body.position as string, a.body]));
    expect(replays.filter((r) => !isDeepStrictEqual(firstByPosition.get(r.body.position), r.body)).map((r) => r.path)).toEqual([]);

    // The read models as the workers left them, then as a rebuild from the log makes them (the operator's cli).
    const tables = [...createAllProjections(), createStatusListProjection()].flatMap((p) => p.tables.map((t) => t.name));
    const snapshot = async () =>
      Object.fromEntries(
        await Promise.all(tables.map(async (t) => [t, (await sql`SELECT * FROM ${sql.table(t)}`.execute(home.db)).rows.map((r) => JSON.stringify(r)).sort()])),
      );
    const live = await snapshot();
    expect(live.candidate_paths.length).toBeGreaterThan(ENROLLMENTS);
    const rebuild = await runCliWith({ ...env, DATABASE_URL: database.url }, ['projections', 'rebuild']);
    expect({ code: rebuild.code, stderr: rebuild.code === 0 ? '' : rebuild.stderr }).toEqual({ code: 0, stderr: '' });
    expect(await snapshot()).toEqual(live);
    lap('log-and-rebuild', since);
    process.stdout.write(
      `scaled-out test: ${firsts.length} acknowledged writes (${replays.length} replays) over ${streams.length} streams, each once in the log; ` +
        `${races.length} races through both apis, one acknowledged and one refused each; read models equal to the cli's rebuild\n`,
    );
  }, 120_000);
});
