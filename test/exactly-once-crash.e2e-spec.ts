import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { JwtService } from '@nestjs/jwt';
import { Redis } from 'ioredis';
import { sql } from 'kysely';
import { comparePositions, formatPosition, migrateToLatest, openSqlDatabase, parsePosition, SqlDatabase, SqlDb, SqlEventStore } from '@jalon/event-store';
import { createTestDatabase, TestDatabase } from '@jalon/event-store/testing/postgres-test-database';
import { REDIS_TEST_DATABASES, redisTestUrl } from '@jalon/issuance/testing/redis-test-databases';
import { ProjectionRunner } from '@jalon/projections';
import { CANDIDATE_PATH_PROJECTION, createAllProjections } from '@jalon/read-models';

/**
 * Exactly once under fire (issue 12). The api runs as production runs it — compiled, in its own
 * process — while four clients register and enroll candidates with an Idempotency-Key on every
 * POST, retrying the same key on any connection error or "try again" answer. The api is killed with
 * SIGKILL at random moments and restarted, KILLS times. A trigger holds about half of the answers
 * for a moment after the command's append has committed and before the answer is kept, so kills
 * land in that window too (the case the derived ids are for).
 *
 * In the end: every acknowledged write is stored exactly once, nothing is stored that no client
 * asked for, every key replays its acknowledged answer, the read models equal a rebuild, and at
 * least one request was answered from what a killed process had appended before dying.
 */

const KILLS = Number(process.env.CRASH_TEST_KILLS ?? 20);
const KILL_AFTER_MS: readonly [number, number] = [150, 900];
const CLIENTS = 4;
const REPO_ROOT = resolve(__dirname, '..');
const PORT_BASE = 43_000 + (process.pid % 1000) * 2;

/** The api compiled once, as the Dockerfile builds it: main.js under tsconfig-paths, the catalogue beside it. */
function buildApi(): string {
  // Inside the checkout (dist/ is ignored), so the compiled files find node_modules as production's do.
  mkdirSync(join(REPO_ROOT, 'dist'), { recursive: true });
  const out = mkdtempSync(join(REPO_ROOT, 'dist', 'exactly-once-'));
  try {
    execFileSync(join(REPO_ROOT, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.build.json', '--outDir', out], { cwd: REPO_ROOT, stdio: 'pipe' });
  } catch (error) {
    throw new Error(`the api does not compile: ${(error as { stdout?: Buffer }).stdout?.toString() ?? String(error)}`);
  }
  rmSync(join(out, 'referentials'), { recursive: true, force: true });
  cpSync(join(REPO_ROOT, 'referentials'), join(out, 'referentials'), { recursive: true });
  return out;
}

interface Api {
  readonly child: ChildProcess;
  readonly exited: Promise<void>;
}

function startApi(build: string, env: Record<string, string>): Promise<Api> {
  const child = spawn(process.execPath, ['-r', 'tsconfig-paths/register', join(build, 'apps/api/src/main.js')], {
    cwd: REPO_ROOT,
    env: { ...process.env, NODE_OPTIONS: '', TS_NODE_BASEURL: build, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  return new Promise<Api>((ready, failed) => {
    const timer = setTimeout(() => failed(new Error(`api not listening after 60 s:\n${output}`)), 60_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Jalon api listening')) {
        clearTimeout(timer);
        ready({ child, exited });
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    void exited.then(() => {
      clearTimeout(timer);
      failed(new Error(`api exited before listening:\n${output}`));
    });
  });
}

interface Sent {
  readonly path: string;
  readonly body: object;
  readonly key: string;
  status?: number;
  answer?: { id: string; position: string };
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** Sends a keyed POST until it is answered for good: connection errors and "try again" answers are retried with the same key. */
async function sendUntilAnswered(base: string, token: string, sent: Sent, inProgress: { count: number }): Promise<void> {
  for (;;) {
    let response: Response;
    try {
      response = await fetch(`${base}${sent.path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': sent.key },
        body: JSON.stringify(sent.body),
        signal: AbortSignal.timeout(20_000),
      });
    } catch {
      await sleep(50);
      continue;
    }
    const body = (await response.json().catch(() => ({}))) as { code?: string; id: string; position: string };
    if (response.status === 409 && body.code === 'IDEMPOTENCY.IN_PROGRESS') {
      inProgress.count += 1;
      await sleep(Number(response.headers.get('retry-after') ?? 1) * 100);
      continue;
    }
    if (response.status >= 500 || response.status === 429) {
      await sleep(50);
      continue;
    }
    if (response.status !== 201) throw new Error(`${sent.path} under ${sent.key} answered ${response.status} ${JSON.stringify(body)}`);
    sent.status = response.status;
    sent.answer = body;
    return;
  }
}

let build: string;
beforeAll(() => {
  build = buildApi();
}, 120_000);
afterAll(() => build && rmSync(build, { recursive: true, force: true }));

describe.each(['postgres', 'pglite'] as const)('exactly once across SIGKILLs of the api (%s)', (backend) => {
  let dataDir: string;
  let database: TestDatabase | undefined;
  let api: Api | undefined;
  const redisPrefix = `jalon-once-${process.pid}-${randomBytes(4).toString('hex')}`;
  const secret = randomBytes(32).toString('hex');
  const env: Record<string, string> = {};

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'jalon-once-'));
    const port = PORT_BASE + (backend === 'postgres' ? 0 : 1);
    Object.assign(env, {
      PORT: String(port),
      DATA_DIR: dataDir,
      EVENT_STORE: backend,
      JWT_SECRET: secret,
      MASTER_KEYS: `k1:${randomBytes(32).toString('base64')}`,
      PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
      LOG_LEVEL: 'error',
      RUN_ISSUANCE: 'false',
      REDIS_URL: redisTestUrl(REDIS_TEST_DATABASES.issuancePrefixed),
      REDIS_PREFIX: redisPrefix,
      THROTTLE_PER_MINUTE: '1000000',
      POLL_INTERVAL_MS: '20',
    });
    if (backend === 'postgres') {
      database = await createTestDatabase('jalon_once');
      env.DATABASE_URL = database.url;
    }
    // The tables as the api migrates them, and the trigger that holds answers after the append.
    const home = await openHome();
    try {
      await migrateToLatest(home.db);
      await sql`CREATE FUNCTION hold_answer() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN IF random() < 0.5 THEN PERFORM pg_sleep(0.15 + random() * 0.25); END IF; RETURN NEW; END $$`.execute(home.db);
      await sql`CREATE TRIGGER hold_answer BEFORE UPDATE ON idempotency_keys FOR EACH ROW WHEN (NEW.state = 'done') EXECUTE FUNCTION hold_answer()`.execute(
        home.db,
      );
      // A server backend notices its client died only when it next talks to it: without this, a
      // held answer would still be kept after the kill, as if the process had lived to keep it.
      if (database) await sql`ALTER DATABASE ${sql.id(database.name)} SET client_connection_check_interval = 50`.execute(home.db);
    } finally {
      await home.close();
    }
  }, 120_000);

  afterAll(async () => {
    api?.child.kill('SIGKILL');
    await api?.exited;
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
    const redis = new Redis(redisTestUrl(REDIS_TEST_DATABASES.issuancePrefixed));
    const keys = await redis.keys(`${redisPrefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  /** The api's SQL home, opened by the test (the embedded one only while the api is stopped). */
  const openHome = (): Promise<SqlDatabase> =>
    backend === 'postgres' ? openSqlDatabase({ kind: 'postgres', url: database!.url }) : openSqlDatabase({ kind: 'pglite', dataDir: join(dataDir, 'pglite') });

  it(`every acknowledged write is stored once, and every retry answers it, through ${KILLS} kills`, async () => {
    const base = `http://127.0.0.1:${env.PORT}`;
    const token = new JwtService({ secret, signOptions: { algorithm: 'HS256' } }).sign(
      { role: 'admin', org: 'org-1' },
      { subject: 'admin-1', expiresIn: '1h' },
    );
    const inProgress = { count: 0 };
    const sent: Sent[] = [];
    let stopping = false;
    let next = 0;

    api = await startApi(build, env);
    const client = async () => {
      while (!stopping) {
        const n = next++;
        const register: Sent = {
          path: '/candidates',
          key: `reg-${n}`,
          body: { birthName: `Crash${n}`, firstNames: ['Léa'], birthDate: '2001-03-14', sex: 'F', birthPlace: 'Lyon (69)', email: `crash${n}@example.org` },
        };
        sent.push(register);
        await sendUntilAnswered(base, token, register, inProgress);
        const enroll: Sent = {
          path: '/enrollments',
          key: `enr-${n}`,
          body: { candidateId: register.answer!.id, referentialId: 'data-ia-quatre-blocs', version: '1', cohort: '2026-A', accessRoute: 'vae' },
        };
        sent.push(enroll);
        await sendUntilAnswered(base, token, enroll, inProgress);
      }
    };
    const clients = Array.from({ length: CLIENTS }, client);
    const restartsMs: number[] = [];
    for (let kill = 0; kill < KILLS; kill++) {
      await sleep(KILL_AFTER_MS[0] + Math.random() * (KILL_AFTER_MS[1] - KILL_AFTER_MS[0]));
      api.child.kill('SIGKILL');
      await api.exited;
      const started = Date.now();
      api = await startApi(build, env);
      restartsMs.push(Date.now() - started);
    }
    // The clients finish what they were sending, on a service that stays up.
    await sleep(500);
    stopping = true;
    await Promise.all(clients);

    const registrations = sent.filter((s) => s.path === '/candidates');
    const enrollments = sent.filter((s) => s.path === '/enrollments');
    expect(sent.every((s) => s.answer !== undefined)).toBe(true);

    // Every key replays its acknowledged answer, and nothing more is written.
    for (const s of sent) {
      const replay = await fetch(`${base}${s.path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': s.key },
        body: JSON.stringify(s.body),
      });
      expect({ key: s.key, status: replay.status, replayed: replay.headers.get('idempotent-replayed'), body: await replay.json() }).toEqual({
        key: s.key,
        status: s.status,
        replayed: 'true',
        body: s.answer,
      });
    }

    // The lists show every acknowledged enrollment, once, once the read models reach the last write.
    const last = formatPosition(sent.map((s) => parsePosition(s.answer!.position)!).reduce((a, b) => (comparePositions(a, b) >= 0 ? a : b)));
    const listed = await fetch(`${base}/enrollments?pageSize=1&consistentWith=${last}`, { headers: { authorization: `Bearer ${token}` } });
    expect(listed.status).toBe(200);
    expect(((await listed.json()) as { total: number }).total).toBe(enrollments.length);

    // Stopped as an operator stops it, so the embedded database can be opened here.
    api.child.kill('SIGTERM');
    await api.exited;
    api = undefined;
    const home = await openHome();
    try {
      const db = home.db as SqlDb;
      const events = (
        await sql<{ event_type: string; id: string; candidate_id: string; recorded_at: string }>`
        SELECT event_type, COALESCE(data->>'enrollmentId', data->>'candidateId') AS id, data->>'candidateId' AS candidate_id, recorded_at::text AS recorded_at
        FROM events WHERE event_type IN ('CandidateRegistered', 'CandidateEnrolled')`.execute(db)
      ).rows;
      const ids = (type: string) =>
        events
          .filter((e) => e.event_type === type)
          .map((e) => e.id)
          .sort();
      // Exactly the acknowledged writes: each once, and none that no acknowledged key asked for.
      expect(ids('CandidateRegistered')).toEqual(registrations.map((s) => s.answer!.id).sort());
      expect(ids('CandidateEnrolled')).toEqual(enrollments.map((s) => s.answer!.id).sort());
      expect(new Set(events.filter((e) => e.event_type === 'CandidateEnrolled').map((e) => e.candidate_id)).size).toBe(enrollments.length);

      // Some requests were answered from what a killed process had appended: the events are older than the claim that answered them.
      const rescued = Number(
        (
          await sql<{ n: string }>`
        SELECT count(*)::text AS n FROM idempotency_keys k
        WHERE k.state = 'done' AND EXISTS (SELECT 1 FROM events e WHERE e.event_type IN ('CandidateRegistered', 'CandidateEnrolled')
          AND COALESCE(e.data->>'enrollmentId', e.data->>'candidateId') = k.response->>'id' AND e.recorded_at < k.created_at)`.execute(db)
        ).rows[0].n,
      );
      expect(rescued).toBeGreaterThan(0);

      // The read models equal a rebuild from the log.
      const snapshot = async () => ({
        paths: (await sql`SELECT * FROM candidate_paths ORDER BY enrollment_id`.execute(db)).rows,
        versions: (await sql`SELECT * FROM referential_versions ORDER BY referential_id, version`.execute(db)).rows,
      });
      const live = await snapshot();
      expect(live.paths).toHaveLength(enrollments.length);
      await new ProjectionRunner(db, new SqlEventStore(home), createAllProjections()).rebuild(CANDIDATE_PATH_PROJECTION);
      expect(await snapshot()).toEqual(live);

      process.stdout.write(
        `exactly-once crash test (${backend}): ${KILLS} kills, ${registrations.length} registrations and ${enrollments.length} enrollments acknowledged, ` +
          `${rescued} answered from a killed process's append, ${inProgress.count} IN_PROGRESS answers, restart ${Math.min(...restartsMs)}–${Math.max(...restartsMs)} ms\n`,
      );
    } finally {
      await home.close();
    }
  }, 600_000);
});
