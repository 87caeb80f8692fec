import { ChildWorker, killAllChildWorkers, spawnChildWorker, waitReady } from '@jalon/event-store/testing/child-worker';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { sql } from 'kysely';
import { loadCatalogue } from '@jalon/catalogue';
import { Actor, candidateStreamId, decideCandidate, EnrollmentEvent, initialCandidateState, IssuedDocument } from '@jalon/domain';
import { comparePositions, GlobalPosition, migrateToLatest, openSqlDatabase, SqlDatabase, SqlDb, SqlEventStore, START } from '@jalon/event-store';
import { createTestDatabase, TestDatabase } from '@jalon/event-store/testing/postgres-test-database';
import { waitUntilNothingHeldBack } from '@jalon/event-store/testing/visibility';
import { ProjectionRunner } from '@jalon/projections';
import { generatePath, prng, publishReferential, toNewEvents } from '../../read-models/src/testing/generate-paths';
import { documentNumber } from './document-number';
import { createIssuanceProcess, reconcileIssuance } from './issuance-process.projection';
import { connect, ISSUANCE_QUEUE, IssuanceJobData, IssuanceQueue } from './issuance-queue';
import { generateIssuerKey } from './render';
import { REDIS_TEST_DATABASES, redisTestUrl } from './testing/redis-test-databases';

/**
 * DESIGN.md decision 5, under fire: a separate worker process (testing/run-issuance-worker.process.ts)
 * takes the issuance jobs from the real Redis and is killed with SIGKILL at random moments while it
 * renders, stores and records documents, then restarted, many times. The jobs are enqueued as the
 * service enqueues them, by the issuance process manager fed from the log. In the end every
 * decision (bloc validated, certification awarded) has exactly one DocumentIssued event, and the
 * documents folder holds exactly its two files, whose hashes are the recorded ones.
 *
 * A killed worker's jobs stay "active" in Redis until their lock expires and a stalled check moves
 * them back to waiting (BullMQ's lockDuration and stalledInterval, 30 s each by default). The
 * reconciler cannot hasten that (job ids are deterministic: re-adding an existing job is a no-op),
 * so the worker here runs with a 1.5 s lock and a 1 s stalled check.
 *
 * BullMQ fails for good a job found stalled more than maxStalledCount times; with its default (1)
 * this test left a dozen decisions without a document (CRASH_TEST_MAX_STALLED_COUNT=1 shows it),
 * which is why startIssuanceWorker now sets 100 and the queue retries a failed job when its
 * decision is enqueued again. Here the limit is one no job can reach (a job stalls at most once per
 * kill). One difference from production remains: each job waits 40 ms, its document recorded, before BullMQ hears
 * it is complete: a kill in that window makes BullMQ run again a job whose "issued" is already in
 * the log, the case the "already issued" check is for. Without the wait a kill lands there about
 * once in 150 interrupted jobs, so a job issuing twice would slip through most runs.
 */

const ROUNDS = 16;
/**
 * Decisions still to issue at the start of each round, new ones added as needed: more than a worker
 * issues before the latest kill (up to about 15 in 600 ms, four at a time), so kills find it busy.
 */
const BACKLOG = 24;
const KILL_WINDOW_MS: readonly [number, number] = [50, 600];
const REDIS_URL = redisTestUrl(REDIS_TEST_DATABASES.issuancePrefixed);
const REDIS_PREFIX = `jalon-issuance-crash-${process.pid}-${randomBytes(4).toString('hex')}`;
const WORKER_SETTINGS = {
  CONCURRENCY: '4',
  LOCK_DURATION_MS: '1500',
  STALLED_INTERVAL_MS: '1000',
  MAX_STALLED_COUNT: process.env.CRASH_TEST_MAX_STALLED_COUNT ?? String(ROUNDS),
  COMPLETION_DELAY_MS: process.env.CRASH_TEST_COMPLETION_DELAY_MS ?? '40',
  // One worker runs at a time: at its start, every partial file is a dead writer's.
  SWEEP_OLDER_THAN_MS: '0',
};
const WORKER = path.resolve(__dirname, 'testing/run-issuance-worker.process.ts');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const admin: Actor = { id: 'admin-crash', role: 'admin' };

type WorkerProcess = ChildWorker;
const spawnWorker = (env: Record<string, string>): WorkerProcess => spawnChildWorker(WORKER, env);

async function deleteKeys(redis: Redis, pattern: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
}
const count = async (db: SqlDb, query: ReturnType<typeof sql>) => Number(((await query.execute(db)).rows[0] as { n: string | null }).n ?? 0);

describe('issuance survives SIGKILL of its worker in the middle of jobs (PostgreSQL, Redis, separate process)', () => {
  let database: TestDatabase;
  let home: SqlDatabase;
  let store: SqlEventStore;
  let redis: Redis;
  let queue: IssuanceQueue;
  let inspector: Queue<IssuanceJobData>;
  let documentsDir: string;

  beforeAll(async () => {
    database = await createTestDatabase('jalon_issuance_crash');
    home = await openSqlDatabase({ kind: 'postgres', url: database.url });
    await migrateToLatest(home.db);
    store = new SqlEventStore(home);
    // A Redis database no suite empties (REDIS_TEST_DATABASES), and a prefix of this run's own. No
    // FLUSHDB: two runs of this suite at once (two checkouts, two CI jobs on one Redis) would wipe
    // each other's queue mid-test; each run deletes its own keys. (Once, a suite that empties its
    // database shared this one: the queue vanished between two rounds, 25 decisions were never issued.)
    redis = connect({ url: REDIS_URL });
    queue = new IssuanceQueue(redis, { url: REDIS_URL, prefix: REDIS_PREFIX });
    inspector = new Queue<IssuanceJobData>(ISSUANCE_QUEUE, { connection: redis, prefix: REDIS_PREFIX });
    documentsDir = mkdtempSync(path.join(tmpdir(), 'jalon-issuance-crash-'));
  });
  afterAll(async () => {
    await killAllChildWorkers();
    await inspector?.close();
    await queue?.close();
    if (redis) await deleteKeys(redis, `${REDIS_PREFIX}:*`).catch(() => undefined);
    await redis?.quit().catch(() => redis.disconnect());
    await home?.close();
    await database?.drop();
    if (documentsDir) rmSync(documentsDir, { recursive: true, force: true });
  });

  it(`after ${ROUNDS} kills mid-job and a last run, every decision has exactly one DocumentIssued and its two stored files`, async () => {
    const seed = Number(process.env.CRASH_TEST_SEED ?? Math.floor(Math.random() * 2 ** 31));
    const random = prng(seed);
    const started = Date.now();
    const { entries } = loadCatalogue();
    for (const entry of entries) await publishReferential(store, entry.referential, entry.contentHash);
    const key = generateIssuerKey('https://jalon.example.org/issuer', 'Jalon (crash test)');
    const workerEnv = {
      DATABASE_URL: database.url,
      REDIS_URL,
      REDIS_PREFIX,
      DOCUMENTS_DIR: documentsDir,
      ISSUER_KEY_PEM: key.privateKeyPem,
      PUBLIC_BASE_URL: 'https://jalon.example.org',
      ...WORKER_SETTINGS,
    };

    // The service's path from decision to job: the issuance process manager, fed from the log.
    const runner = new ProjectionRunner(home.db, store, [createIssuanceProcess((jobs) => queue.enqueueAll(jobs))]);
    await runner.prepare();

    /** Decision event id → its enrollment and kind, for every decision on the log. */
    const decisions = new Map<string, { enrollmentId: string; kind: 'attestation' | 'certificate' }>();
    let target: GlobalPosition = START;
    const track = (position: GlobalPosition | null) => (target = position && comparePositions(position, target) > 0 ? position : target);
    let candidates = 0;

    /** Registers the candidates of new enrollment histories and appends them until `n` more decisions are on the log, then enqueues their jobs. */
    const addDecisions = async (n: number) => {
      const goal = decisions.size + n;
      while (decisions.size < goal) {
        const entry = entries[Math.floor(random() * entries.length)];
        const generated = generatePath(entry.referential, random, { organisationId: `org-${1 + Math.floor(random() * 3)}` });
        const enrolled = generated.events[0] as Extract<EnrollmentEvent, { type: 'CandidateEnrolled' }>;
        const { candidateId, organisationId } = enrolled.data;
        const n = ++candidates;
        const registered = decideCandidate(
          {
            type: 'RegisterCandidate',
            data: {
              candidateId,
              organisationId,
              identity: {
                birthName: `Crashtest-${n}`,
                firstNames: ['Camille', `N${n}`],
                birthDate: '1990-05-12',
                sex: n % 2 ? 'F' : 'M',
                birthPlace: 'Lyon',
                email: `candidate-${n}@example.org`,
              },
              by: admin,
              now: '2026-01-02T09:00:00.000Z',
            },
          },
          initialCandidateState(),
        );
        await store.append(
          candidateStreamId(candidateId),
          registered.map((e) => ({ id: randomUUID(), type: e.type, data: e.data, metadata: { actor: e.data.by, occurredAt: e.data.at } })),
          { expectedRevision: 'no_stream' },
        );
        const newEvents = toNewEvents(generated.events);
        track((await store.append(generated.streamId, newEvents, { expectedRevision: 'no_stream' })).position);
        newEvents.forEach((event, i) => {
          const type = generated.events[i].type;
          if (type === 'BlocValidated' || type === 'CertificationAwarded')
            decisions.set(event.id, { enrollmentId: generated.enrollmentId, kind: type === 'BlocValidated' ? 'attestation' : 'certificate' });
        });
      }
      // The log is read only up to the oldest running transaction of the server (decision 3), which
      // other suites' transactions may hold back for a moment.
      for (let waited = 0; comparePositions(await store.headPosition(), target) < 0; waited += 10) {
        if (waited > 30_000) throw new Error("the store's head never reached the last append");
        await sleep(10);
      }
      await runner.catchUp();
      expect(await count(home.db, sql`SELECT count(*)::text AS n FROM issuance_decisions`)).toBe(decisions.size);
    };

    const issuedCount = () => count(home.db, sql`SELECT count(*)::text AS n FROM events WHERE event_type = 'DocumentIssued'`);

    const kills: { round: number; delayMs: number; before: number; during: number; total: number; interrupted: number }[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      await addDecisions(Math.max(0, BACKLOG - (decisions.size - (await issuedCount()))));
      const before = await issuedCount();
      const spawnedAt = Date.now();
      const doomed = spawnWorker(workerEnv);
      await waitReady(doomed);
      let delayMs: number;
      if (round % 4 === 0) {
        // Every fourth kill comes just after the worker's first record of this run, whenever that
        // is: on a loaded machine (another suite beside this one) it may come after the whole
        // window, and then no random delay would ever kill a worker that had recorded some.
        const readyAt = Date.now();
        while ((await issuedCount()) === before && Date.now() - readyAt < 15_000) await sleep(5);
        await sleep(Math.floor(random() * 40));
        delayMs = Date.now() - readyAt;
      } else {
        delayMs = KILL_WINDOW_MS[0] + Math.floor(random() * (KILL_WINDOW_MS[1] - KILL_WINDOW_MS[0]));
        await sleep(delayMs);
      }
      doomed.child.kill('SIGKILL');
      expect(await doomed.exited).toEqual({ code: null, signal: 'SIGKILL' });
      const during = (await issuedCount()) - before;
      // Jobs this worker had taken and not finished: BullMQ still has them active, under its dead lock.
      const interrupted = (await inspector.getActive()).filter((job) => (job.processedOn ?? 0) >= spawnedAt).length;
      kills.push({ round, delayMs, before, during, total: decisions.size, interrupted });
    }
    const killsDoneAt = Date.now();

    const summary = () =>
      `issuance crash test: seed ${seed}, ${ROUNDS} rounds, ${decisions.size} decisions in ${new Set([...decisions.values()].map((d) => d.enrollmentId)).size} enrollments, worker ${JSON.stringify(WORKER_SETTINGS)}\n` +
      kills
        .map(
          (k) =>
            `  round ${k.round}: killed after ${k.delayMs} ms, ${k.during} issued during the run (${k.before} before, of ${k.total}), ${k.interrupted} job(s) of this worker interrupted`,
        )
        .join('\n') +
      '\n';

    // A last worker, left alone until every decision is issued and the queue is drained: killed
    // jobs come back once their lock has expired, including those whose document the kill found
    // already recorded, which must then issue nothing.
    await runner.catchUp();
    const survivor = spawnWorker(workerEnv);
    await waitReady(survivor);
    for (const startedAt = Date.now(); ; await sleep(50)) {
      const issuedBefore = await issuedCount();
      const counts = await queue.counts();
      const running = counts.waiting + counts.active + counts.delayed;
      if (running === 0 && issuedBefore >= decisions.size) break;
      const stuck = running === 0 && (await issuedCount()) < decisions.size;
      if (!stuck && Date.now() - startedAt < 60_000) continue;
      // Nothing left to run, or too slow: say why, and whether the service's own recovery path would help.
      const issuedNow = await issuedCount();
      const failed = await queue.failed();
      await runner.catchUp();
      const reconciled = await reconcileIssuance(home.db, (jobs) => queue.enqueueAll(jobs));
      await sleep(3000);
      throw new Error(
        `${summary()}the last worker ${stuck ? 'has nothing left to run' : 'is still at it after 60 s'} with ${issuedNow} of ${decisions.size} decisions issued; queue ${JSON.stringify(counts)}; ` +
          `${failed.length} failed job(s): ${JSON.stringify(failed.map((f) => `${f.id}: ${f.error}`))}; ` +
          `reconcileIssuance then re-enqueued ${JSON.stringify(reconciled)}, and 3 s later ${await issuedCount()} are issued, queue ${JSON.stringify(await queue.counts())}; stderr:\n${survivor.stderr()}`,
      );
    }
    survivor.child.kill('SIGTERM');
    expect(await survivor.exited).toEqual({ code: 0, signal: null });
    const lastRunMs = Date.now() - killsDoneAt;

    // Every decision issued once, by the log.
    const enrollments = new Set([...decisions.values()].map((d) => d.enrollmentId));
    const issued: IssuedDocument[] = [];
    for (const enrollmentId of enrollments) {
      for (const event of await store.readStream(`enrollment-${enrollmentId}`)) {
        if (event.type === 'DocumentIssued') issued.push((event.data as { document: IssuedDocument }).document);
      }
    }
    const byDecision = new Map<string, IssuedDocument[]>();
    for (const document of issued) byDecision.set(document.decisionEventId, [...(byDecision.get(document.decisionEventId) ?? []), document]);
    const duplicates = [...byDecision].filter(([, documents]) => documents.length > 1).map(([id, documents]) => `${id} ×${documents.length}`);
    expect(duplicates).toEqual([]);
    expect([...decisions.keys()].filter((id) => !byDecision.has(id))).toEqual([]);
    expect(issued).toHaveLength(decisions.size);
    expect(await issuedCount()).toBe(decisions.size);
    for (const document of issued) {
      const decision = decisions.get(document.decisionEventId)!;
      expect({ decision: document.decisionEventId, kind: document.kind, number: document.number }).toEqual({
        decision: document.decisionEventId,
        kind: decision.kind,
        number: documentNumber(decision.kind, document.decisionEventId),
      });
    }

    // Exactly the two files of each issued number, holding the bytes whose hashes were recorded.
    const files = readdirSync(documentsDir).sort();
    const partial = files.filter((name) => name.endsWith('.part'));
    const expected = issued.flatMap((d) => [`${d.number}.pdf`, `${d.number}.vc.jwt`]).sort();
    expect(files.filter((name) => !name.endsWith('.part'))).toEqual(expected);
    for (const document of issued) {
      expect({ number: document.number, pdf: sha256(readFileSync(path.join(documentsDir, `${document.number}.pdf`))) }).toEqual({
        number: document.number,
        pdf: document.pdfSha256,
      });
      expect({ number: document.number, credential: sha256(readFileSync(path.join(documentsDir, `${document.number}.vc.jwt`))) }).toEqual({
        number: document.number,
        credential: document.credentialSha256,
      });
    }
    // A kill between the write of a file and its rename leaves its `.part` behind, never under a
    // document's name; each worker sweeps them at its start, so the last one's start left none.
    expect(partial).toEqual([]);

    // Nothing failed or left behind in the queue, and the reconciler finds nothing to do (once the
    // projection has every document recorded: other suites' transactions may hold the last back).
    await waitUntilNothingHeldBack(store);
    await runner.catchUp();
    expect(await queue.failed()).toEqual([]);
    expect(await queue.counts()).toMatchObject({ waiting: 0, active: 0, delayed: 0, failed: 0 });
    expect(await reconcileIssuance(home.db, async () => undefined)).toEqual({ issue: 0, revoke: 0 });

    // The kills must have landed while the worker was at work: jobs it had taken still active in
    // Redis at the kill, and decisions left to issue; and, in many rounds, after it had recorded
    // documents (its first four, taken together, are recorded about 200-250 ms after `ready`, so
    // kills in the first quarter of the window cannot show any).
    const midWork = kills.filter((k) => k.interrupted > 0 && k.before + k.during < k.total);
    const midWorkByIssued = kills.filter((k) => k.during > 0 && k.before + k.during < k.total);
    const maxStalled = Math.max(0, ...(await inspector.getCompleted(0, -1)).map((job) => job.stalledCounter));
    process.stdout.write(
      summary() +
        `${midWork.length} kills with jobs of the killed worker in progress (${kills.reduce((s, k) => s + k.interrupted, 0)} jobs), ${midWorkByIssued.length} after it had issued some but not all decisions; ` +
        `jobs stalled at most ${maxStalled} time(s); ${partial.length} leftover .part file(s)${partial.length ? ` (${partial.join(', ')})` : ''}; last run ${lastRunMs} ms; ${Math.round((Date.now() - started) / 1000)} s in all\n`,
    );
    expect(kills).toHaveLength(ROUNDS);
    expect(midWork.length).toBeGreaterThan(ROUNDS / 2);
    // Kills after some documents were recorded: the random ones show it in a few rounds at most on
    // a loaded machine (the first records come late); every fourth round waits for the first record.
    expect(midWorkByIssued.length).toBeGreaterThanOrEqual(2);
  }, 400_000);
});
