import { ChildWorker, killAllChildWorkers, spawnChildWorker, waitReady } from '@jalon/event-store/testing/child-worker';
import path from 'node:path';
import { sql } from 'kysely';
import { loadCatalogue } from '@jalon/catalogue';
import { comparePositions, GlobalPosition, migrateToLatest, openSqlDatabase, SqlDatabase, SqlDb, SqlEventStore, START } from '@jalon/event-store';
import { createTestDatabase, TestDatabase } from '@jalon/event-store/testing/postgres-test-database';
import { ProjectionRunner } from '@jalon/projections';
import { generatePath, prng, publishReferential, toNewEvents } from './testing/generate-paths';
import { crashTestProjections } from './testing/run-projections.process';

/**
 * DESIGN.md decision 4, under fire: a separate process runs the projections and is killed with
 * SIGKILL at random points while it works through a stream of events, then restarted. After each
 * restart has caught up, the live read models must equal a rebuild from scratch, and the counters
 * (candidate_paths.events_applied, one row per event in crash_event_counts) must show every event
 * of the log applied exactly once.
 */

const ROUNDS = 21;
const EVENTS_PER_ROUND = 1000;
const WORKER = path.resolve(__dirname, 'testing/run-projections.process.ts');
const PROJECTIONS = crashTestProjections().map((p) => p.name);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Worker = ChildWorker;
const spawnWorker = (databaseUrl: string): Worker => spawnChildWorker(WORKER, { DATABASE_URL: databaseUrl });

interface Checkpoint {
  readonly projection: string;
  readonly position: GlobalPosition;
  readonly eventsApplied: number;
  readonly status: string;
}
async function checkpoints(db: SqlDb): Promise<Map<string, Checkpoint>> {
  const { rows } = await sql<{ projection: string; commit: string; prepare: string; events_applied: string; status: string }>`
    SELECT projection, commit_position::text AS commit, prepare_position::text AS prepare, events_applied::text AS events_applied, status
    FROM projection_checkpoints`.execute(db);
  return new Map(
    rows.map((r) => [
      r.projection,
      {
        projection: r.projection,
        position: { commit: BigInt(r.commit), prepare: BigInt(r.prepare) },
        eventsApplied: Number(r.events_applied),
        status: r.status,
      },
    ]),
  );
}
async function snapshot(db: SqlDb) {
  const rows = async (query: ReturnType<typeof sql>) => (await query.execute(db)).rows;
  return {
    referentialVersions: await rows(sql`SELECT * FROM referential_versions ORDER BY referential_id, version`),
    candidatePaths: await rows(sql`SELECT * FROM candidate_paths ORDER BY enrollment_id`),
    eventCounts: await rows(sql`SELECT * FROM crash_event_counts ORDER BY event_id`),
  };
}
const count = async (db: SqlDb, query: ReturnType<typeof sql>) => Number(((await query.execute(db)).rows[0] as { n: string | null }).n ?? 0);

describe('projections survive SIGKILL at random points (PostgreSQL, separate process)', () => {
  let database: TestDatabase;
  let home: SqlDatabase;
  let store: SqlEventStore;

  beforeAll(async () => {
    database = await createTestDatabase('jalon_crash');
    home = await openSqlDatabase({ kind: 'postgres', url: database.url });
    await migrateToLatest(home.db);
    store = new SqlEventStore(home);
  });
  afterAll(async () => {
    await killAllChildWorkers();
    await home?.close();
    await database?.drop();
  });

  it(`after each of ${ROUNDS} kills and restarts, the read models equal a rebuild and every event is applied once`, async () => {
    const seed = Number(process.env.CRASH_TEST_SEED ?? Math.floor(Math.random() * 2 ** 31));
    const random = prng(seed);
    const { entries } = loadCatalogue();
    expect(entries).toHaveLength(4);
    let target: GlobalPosition = START;
    const track = (position: GlobalPosition) => (target = comparePositions(position, target) > 0 ? position : target);
    for (const entry of entries) {
      await publishReferential(store, entry.referential, entry.contentHash);
    }
    track(await store.headPosition());

    // The window kills are drawn from: about the time a worker takes for one round's events,
    // learnt from the pace of the earlier rounds (a first guess until then).
    let windowMs = 1000;
    const kills: { round: number; delayMs: number; progress: Record<string, number>; roundEvents: number }[] = [];
    let totalEvents = 0;
    const timings = { append: 0, killPhase: 0, restart: 0, checks: 0, rebuild: 0, compare: 0 };
    let mark = Date.now();
    const lap = (key: keyof typeof timings) => {
      const now = Date.now();
      timings[key] += now - mark;
      mark = now;
    };
    const started = Date.now();

    for (let round = 1; round <= ROUNDS; round++) {
      const before = await checkpoints(home.db);
      const appliedBefore = Object.fromEntries(PROJECTIONS.map((name) => [name, before.get(name)?.eventsApplied ?? 0]));

      // A new slice of the stream: whole enrollment histories, one append per path.
      // (The référentiels published above are the first round's first events.)
      let roundEvents = round === 1 ? entries.length : 0;
      mark = Date.now();
      while (roundEvents < EVENTS_PER_ROUND) {
        const entry = entries[Math.floor(random() * entries.length)];
        const generated = generatePath(entry.referential, random, { organisationId: `org-${1 + Math.floor(random() * 3)}` });
        const result = await store.append(generated.streamId, toNewEvents(generated.events), { expectedRevision: 'no_stream' });
        track(result.position);
        roundEvents += generated.events.length;
      }
      totalEvents += roundEvents;
      // The log is read only up to the oldest running transaction of the server (decision 3), which
      // other suites' transactions may hold back for a moment.
      for (let waited = 0; comparePositions(await store.headPosition(), target) !== 0; waited += 10) {
        if (waited > 30_000) throw new Error(`round ${round}: the store's head never reached the last append`);
        await sleep(10);
      }

      lap('append');

      // Start a worker, let it work for a random while, kill it without warning.
      const doomed = spawnWorker(database.url);
      await waitReady(doomed);
      const delayMs = Math.floor(random() * windowMs);
      await sleep(delayMs);
      doomed.child.kill('SIGKILL');
      expect(await doomed.exited).toEqual({ code: null, signal: 'SIGKILL' });
      const atKill = await checkpoints(home.db);
      const progress = Object.fromEntries(PROJECTIONS.map((name) => [name, (atKill.get(name)?.eventsApplied ?? 0) - appliedBefore[name]]));
      kills.push({ round, delayMs, progress, roundEvents });
      lap('killPhase');

      // Restart and let it catch up with the log; this process only watches the checkpoints.
      const survivor = spawnWorker(database.url);
      await waitReady(survivor);
      const restartedAt = Date.now();
      const remaining = Math.min(...PROJECTIONS.map((name) => roundEvents - progress[name]));
      for (;;) {
        const now = await checkpoints(home.db);
        const failed = [...now.values()].filter((c) => c.status !== 'running');
        if (failed.length > 0)
          throw new Error(
            `round ${round}: projection failed: ${JSON.stringify(failed, (_, v) => (typeof v === 'bigint' ? v.toString() : v))}\n${survivor.stderr()}`,
          );
        if (PROJECTIONS.every((name) => comparePositions(now.get(name)!.position, target) >= 0)) break;
        if (Date.now() - restartedAt > 60_000)
          throw new Error(`round ${round}: the restarted worker did not catch up within 60 s; stderr:\n${survivor.stderr()}`);
        await sleep(20);
      }
      const catchUpMs = Date.now() - restartedAt;
      survivor.child.kill('SIGTERM');
      expect(await survivor.exited).toEqual({ code: 0, signal: null });
      lap('restart');

      // Aim the next kills at the time the slower projection takes for a whole round, from the
      // pace this worker kept before it was killed (or, failing that, the restarted one's).
      const slowest = Math.min(...PROJECTIONS.map((name) => progress[name]));
      const pace = slowest > 0 && slowest < roundEvents && delayMs >= 50 ? slowest / delayMs : remaining >= 200 ? remaining / catchUpMs : undefined;
      if (pace !== undefined) windowMs = Math.round(0.5 * windowMs + 0.5 * Math.min(5000, Math.max(100, roundEvents / pace)));
      else if (slowest === roundEvents) windowMs = Math.max(100, Math.round(windowMs * 0.7));

      try {
        // Every event of the log applied once, by the counters and by the checkpoints.
        const enrollmentEvents = await count(home.db, sql`SELECT count(*)::text AS n FROM events WHERE stream_id LIKE 'enrollment-%'`);
        expect(await count(home.db, sql`SELECT count(*)::text AS n FROM events`)).toBe(totalEvents);
        expect(await count(home.db, sql`SELECT sum(events_applied)::text AS n FROM candidate_paths`)).toBe(enrollmentEvents);
        expect(await count(home.db, sql`SELECT count(*)::text AS n FROM crash_event_counts WHERE applied <> 1`)).toBe(0);
        expect(await count(home.db, sql`SELECT count(*)::text AS n FROM crash_event_counts`)).toBe(totalEvents);
        const caughtUp = await checkpoints(home.db);
        for (const name of PROJECTIONS) expect({ name, eventsApplied: caughtUp.get(name)!.eventsApplied }).toEqual({ name, eventsApplied: totalEvents });

        lap('checks');
        // The live read models equal a rebuild from scratch.
        const liveRows = await snapshot(home.db);
        const rebuilder = new ProjectionRunner(home.db, store, crashTestProjections());
        for (const name of PROJECTIONS) await rebuilder.rebuild(name);
        lap('rebuild');
        const rebuilt = await snapshot(home.db);
        expect(rebuilt.candidatePaths).toHaveLength(
          await count(home.db, sql`SELECT count(DISTINCT stream_id)::text AS n FROM events WHERE stream_id LIKE 'enrollment-%'`),
        );
        expect(liveRows).toEqual(rebuilt);
        lap('compare');
      } catch (error) {
        if (error instanceof Error)
          error.message = `round ${round} (killed after ${delayMs} ms, progress ${JSON.stringify(progress)} of ${roundEvents}): ${error.message}`;
        throw error;
      }
    }

    // The kills must have landed while the worker was applying this round's batches, not before
    // it began or after it had finished: otherwise the test proves little.
    const midWork = kills.filter((k) => PROJECTIONS.some((name) => k.progress[name] > 0 && k.progress[name] < k.roundEvents));
    const bothMidWork = kills.filter((k) => PROJECTIONS.every((name) => k.progress[name] > 0 && k.progress[name] < k.roundEvents));
    process.stdout.write(
      `projection crash test: seed ${seed}, ${ROUNDS} rounds, ${totalEvents} events, ${midWork.length} kills mid-work (${bothMidWork.length} with both projections mid-round), ` +
        `${Math.round((Date.now() - started) / 1000)} s ${JSON.stringify(timings)}\n` +
        kills
          .map(
            (k) =>
              `  round ${k.round}: killed after ${k.delayMs} ms, ${PROJECTIONS.map((name) => `${name} ${k.progress[name]}`).join(', ')} of ${k.roundEvents}`,
          )
          .join('\n') +
        '\n',
    );
    expect(kills).toHaveLength(ROUNDS);
    expect(midWork.length).toBeGreaterThan(ROUNDS / 2);
  }, 600_000);
});
