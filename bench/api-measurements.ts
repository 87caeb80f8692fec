import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { loadCatalogue } from '@jalon/catalogue';
import { indexReferential, Referential } from '@jalon/domain';
import { ExpectedRevision, SqlDatabase, SqlEventStore } from '@jalon/event-store';
import { ProjectionRunner } from '@jalon/projections';
import { CANDIDATE_PATH_PROJECTION, createAllProjections } from '@jalon/read-models';
import { BenchApi, CpuSeconds, ORGANISATION } from './deployed-api';
import { GENERATED_ASSESSORS, generatedAssessorId, generatePath, prng, toNewEvents } from '../libs/read-models/src/testing/generate-paths';
import type { BareAppendRequest } from './bare-append-server';
import { HttpClient, RequestClient } from './http-client';
import { createWorkload, timed, Workload } from './throughput';

/** A shipped référentiel from the catalogue, by id. */
export function shippedReferential(referentialId: string): Referential {
  const entry = loadCatalogue().entries.find((e) => e.referential.referential === referentialId);
  if (!entry) throw new Error(`no shipped référentiel ${referentialId}`);
  return entry.referential;
}

interface HeldSitting {
  readonly enrollmentId: string;
  readonly sittingId: string;
  readonly criteria: readonly string[];
}

/**
 * `POST /enrollments/{id}/sittings/{sittingId}/assessments` by the assigned assessor, every
 * criterion met, over `connections` keep-alive connections (one request in flight on each). A
 * sitting takes one assessment, so the workload consumes held sittings prepared beforehand over
 * HTTP (`prepare`); each worker owns whole enrollments, so no two requests race on one stream.
 *
 * The worker's projections run only inside this workload's slices (the worker is frozen outside
 * them): the events other workloads left are caught up before the window opens, and what is still
 * unprojected when it closes is caught up after it, both outside the window, the latter reported.
 */
export class HttpCommandWorkload implements Workload {
  private readonly queues: HeldSitting[][];
  private readonly assessorId = 'assessor-bench';
  private readonly adminToken: string;
  private readonly assessorToken: string;
  private readonly epreuves: { code: string; criteria: string[]; timedParts: { code: string; actualDurationMinutes: number }[] }[];
  private registered = 0;
  private prepared = 0;
  private inner?: Workload;
  /** The best rate seen so far (pilot, then each slice), to keep enough held sittings ahead of a slice. */
  private rate = 0;
  private margin = 1.6;
  /** Enrollments prepared between slices because the pool ran low (0 when the first sizing sufficed). */
  toppedUp = 0;
  /** The global positions the pilot's commands answered: their appends, as the api made them, are what bareAppendWorkload replays. */
  readonly pilotPositions: string[] = [];
  /** Per slice: ms the worker's projections took, after the window closed, to apply what it had not yet. */
  readonly lags: number[] = [];
  /** CPU seconds of each process over the slices, until the worker caught up after each, and the commands they served. */
  readonly cpu: Record<keyof CpuSeconds, number> = { api: 0, worker: 0, postgres: 0, bench: 0 };
  private measured = 0;

  /** CPU ms per command in each process (each slice's own commands, warm-up included). */
  cpuMsPerCommand(): Record<keyof CpuSeconds, number> {
    const per = (seconds: number) => (this.measured === 0 ? 0 : (seconds * 1000) / this.measured);
    return { api: per(this.cpu.api), worker: per(this.cpu.worker), postgres: per(this.cpu.postgres), bench: per(this.cpu.bench) };
  }

  constructor(
    private readonly api: BenchApi,
    private readonly client: RequestClient,
    private readonly referential: Referential,
    readonly name = 'http_command_c4',
  ) {
    this.queues = Array.from({ length: client.connections }, () => []);
    this.adminToken = api.token('admin', 'admin-bench');
    this.assessorToken = api.token('assessor', this.assessorId);
    const index = indexReferential(referential);
    this.epreuves = referential.blocs
      .filter((b) => !b.optionGroup)
      .flatMap((b) => b.epreuves)
      .map((e) => ({
        code: e.code,
        criteria: [...index.epreuves.get(e.code)!.criteria],
        timedParts: (e.timedParts ?? []).map((p) => ({ code: p.code, actualDurationMinutes: p.baseDurationMinutes })),
      }));
  }

  /** Held sittings left to assess. */
  remaining(): number {
    return this.queues.reduce((n, q) => n + q.length, 0);
  }

  /** Held sittings prepared so far (enrollments × their épreuves). */
  get sittingsPrepared(): number {
    return this.prepared;
  }

  get sittingsPerEnrollment(): number {
    return this.epreuves.length;
  }

  /** Registers, enrolls, then schedules and holds a sitting of every épreuve, for `enrollments` new enrollments (set-up, over HTTP). */
  async prepare(enrollments: number, onProgress?: (done: number) => void): Promise<void> {
    const { referential, client } = this;
    let next = 0;
    let done = 0;
    const worker = async () => {
      while (next < enrollments) {
        next++;
        const n = ++this.registered;
        const candidate = await client.expect(201, 'POST', '/candidates', this.adminToken, {
          birthName: `Bench${n}`,
          firstNames: ['Léa'],
          birthDate: '2001-03-14',
          sex: 'F',
          birthPlace: 'Lyon (69)',
          email: `bench${n}@example.org`,
        });
        const enrollment = await client.expect(201, 'POST', '/enrollments', this.adminToken, {
          candidateId: candidate.id,
          referentialId: referential.referential,
          version: referential.version,
          cohort: '2026-A',
          accessRoute: 'formation-continue',
          optionBlocs: [],
        });
        const sittings: HeldSitting[] = [];
        for (const epreuve of this.epreuves) {
          const sitting = await client.expect(201, 'POST', `/enrollments/${enrollment.id}/sittings`, this.adminToken, {
            epreuveCode: epreuve.code,
            scheduledAt: '2026-06-15T09:00:00Z',
            assessorIds: [this.assessorId],
          });
          await client.expect(200, 'POST', `/enrollments/${enrollment.id}/sittings/${sitting.id}/held`, this.adminToken, {
            heldAt: '2026-06-15T09:00:00Z',
            timedParts: epreuve.timedParts,
            accommodationsApplied: [],
          });
          sittings.push({ enrollmentId: enrollment.id, sittingId: sitting.id, criteria: epreuve.criteria });
        }
        // Whole enrollments go to the shortest queue: one stream is only ever written by one worker.
        this.queues.reduce((a, b) => (b.length < a.length ? b : a)).push(...sittings);
        this.prepared += sittings.length;
        done++;
        if (onProgress && done % 250 === 0) onProgress(done);
      }
    };
    await Promise.all(this.queues.map(() => worker()));
  }

  /** The next held sitting of `worker`'s queue assessed, every criterion met: the command's answer (its position) and the sitting. */
  async assess(worker: number): Promise<{ position: string; enrollmentId: string; sittingId: string }> {
    const sitting = this.queues[worker].shift();
    if (!sitting) throw new Error(`the held sittings prepared for ${this.name} ran out (${this.prepared} prepared): the measurement would be cut short`);
    const answer = await this.client.expect(
      201,
      'POST',
      `/enrollments/${sitting.enrollmentId}/sittings/${sitting.sittingId}/assessments`,
      this.assessorToken,
      {
        results: sitting.criteria.map((criterion) => ({ criterion, met: true })),
      },
      worker,
    );
    return { position: answer.position, enrollmentId: sitting.enrollmentId, sittingId: sitting.sittingId };
  }

  /**
   * A first estimate of the rate, to size the set-up: `warm` assessments on every connection
   * (the code paths warm up), then `perWorker` more, timed.
   */
  async pilot(warm: number, perWorker: number, margin: number): Promise<number> {
    const burst = (n: number) =>
      Promise.all(
        this.queues.map(async (_, w) => {
          for (let i = 0; i < n; i++) this.pilotPositions.push((await this.assess(w)).position);
        }),
      );
    await burst(warm);
    const { seconds } = await timed(() => burst(perWorker));
    this.rate = (perWorker * this.queues.length) / seconds;
    this.margin = margin;
    return this.rate;
  }

  /** Enrollments to prepare so that `seconds` at the best rate seen, with the margin, do not exhaust the held sittings. */
  shortfall(seconds: number): number {
    const needed = Math.ceil(this.rate * seconds * this.margin);
    return Math.max(0, Math.ceil((needed - this.remaining()) / this.epreuves.length));
  }

  async run(seconds: number): Promise<number> {
    this.inner ??= await createWorkload(this.name, this.queues.length, async (w) => ({ op: async () => void (await this.assess(w)) }));
    const { projections } = this.api;
    // Outside the window: held sittings if the pool runs low (set-up), and the events other
    // workloads appended since the last slice (not this workload's cost).
    projections.resume();
    try {
      const missing = this.shortfall(seconds);
      if (missing > 0) {
        await this.prepare(missing);
        this.toppedUp += missing;
      }
      await projections.settle();
      const before = this.api.cpuSeconds();
      const completed = await this.inner.run(seconds);
      this.rate = Math.max(this.rate, completed / seconds);
      // What the worker had not applied when the window closed, caught up outside it.
      this.lags.push(await projections.settle());
      const after = this.api.cpuSeconds();
      for (const key of Object.keys(this.cpu) as (keyof CpuSeconds)[]) this.cpu[key] += after[key] - before[key];
      this.measured += completed;
      return completed;
    } finally {
      projections.pause();
    }
  }

  async close(): Promise<void> {
    await this.inner?.close();
  }
}

export interface OrganisationLoad {
  readonly paths: number;
  readonly events: number;
  readonly seconds: number;
  readonly catchUpSeconds: number;
}

/**
 * Tops the read model up to `target` enrollments in ORGANISATION: generated paths over the shipped
 * référentiels in turn (the real decider, one append per path, through the port), then a catch-up
 * of the candidate-path projection by a runner of the bench, in batches of 2000 (the worker is
 * paused meanwhile; its other projections skip this history, see skipHistory).
 */
export async function loadOrganisationPaths(
  api: BenchApi,
  home: SqlDatabase,
  store: SqlEventStore,
  target: number,
  onProgress?: (message: string) => void,
): Promise<OrganisationLoad> {
  const { entries } = loadCatalogue();
  const existing = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM candidate_paths WHERE organisation_id = ${ORGANISATION}`.execute(home.db)).rows[0]
    .n;
  const missing = Math.max(0, target - existing);
  const random = prng(20260301);
  let paths = 0;
  let events = 0;
  let reported = 0;
  const { seconds } = await timed(async () => {
    const writer = async () => {
      while (paths < missing) {
        const entry = entries[paths % entries.length];
        paths++;
        const path = generatePath(entry.referential, random, { organisationId: ORGANISATION });
        events += path.events.length;
        await store.append(path.streamId, toNewEvents(path.events), { expectedRevision: 'no_stream' });
        if (onProgress && paths - reported >= 10_000) {
          reported = paths;
          onProgress(`  ${existing + paths} enrollments in ${ORGANISATION} (${events} events appended)`);
        }
      }
    };
    await Promise.all([writer(), writer(), writer(), writer()]);
  });
  await api.skipHistory();
  const runner = new ProjectionRunner(home.db, store, createAllProjections(), { batchSize: 2000 });
  const catchUp = await timed(() => runner.catchUp(CANDIDATE_PATH_PROJECTION));
  return { paths, events, seconds, catchUpSeconds: catchUp.seconds };
}

export interface Percentiles {
  readonly count: number;
  readonly p50: number;
  readonly p95: number;
  readonly max: number;
}

/** Nearest-rank percentiles of durations in ms. */
export function percentiles(durations: readonly number[]): Percentiles {
  const sorted = [...durations].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
  return { count: sorted.length, p50: rank(50), p95: rank(95), max: sorted[sorted.length - 1] };
}

export interface ListRequest {
  readonly kind: string;
  readonly query: string;
}

const LIST_STATUSES = ['in-progress', 'eligible', 'certified', 'withdrawn'];

/**
 * What an admin of ORGANISATION asks of the list, drawn from what is in the read model: one
 * certification and cohort, mostly one status (a sixth of the time all of them); a quarter of the
 * time a bloc's status too, a quarter sorted by last progress; page 1 half the time, else a page
 * among the first 20 that exist.
 */
export async function listRequests(home: SqlDatabase, random: () => number, count: number): Promise<ListRequest[]> {
  const { rows } = await sql<{ referential_id: string; cohort: string; status: string; n: number }>`
    SELECT referential_id, cohort, status, count(*)::int AS n FROM candidate_paths WHERE organisation_id = ${ORGANISATION} GROUP BY 1, 2, 3`.execute(home.db);
  const groups = [...new Set(rows.filter((r) => r.n >= 50).map((r) => `${r.referential_id}\n${r.cohort}`))].sort();
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
  const requests: ListRequest[] = [];
  while (requests.length < count) {
    const [referentialId, cohort] = pick(groups).split('\n');
    const status = random() < 1 / 6 ? undefined : pick(LIST_STATUSES);
    const bloc = random() < 0.25;
    const byProgress = random() < 0.25;
    const total = rows
      .filter((r) => r.referential_id === referentialId && r.cohort === cohort && (status === undefined || r.status === status))
      .reduce((n, r) => n + r.n, 0);
    const pages = Math.max(1, Math.min(20, Math.ceil((bloc ? total / 2 : total) / 50)));
    const page = random() < 0.5 || pages === 1 ? 1 : 2 + Math.floor(random() * (pages - 1));
    const params = new URLSearchParams({
      referentialId,
      cohort,
      ...(status ? { status } : {}),
      ...(bloc ? { bloc: 'BC02', blocStatus: 'validated' } : {}),
      ...(byProgress ? { sort: 'lastProgressAt', order: 'desc' } : {}),
      page: String(page),
      pageSize: '50',
    });
    requests.push({
      kind: [status ? 'status' : 'all-statuses', ...(bloc ? ['bloc'] : []), ...(byProgress ? ['by-progress'] : [])].join('+'),
      query: `/enrollments?${params}`,
    });
  }
  return requests;
}

export interface QueryResult {
  readonly enrollments: number;
  readonly tableRows: number;
  readonly path: Percentiles;
  readonly list: Percentiles;
  /** An assessor's own list: the paths with a sitting assigned to them. */
  readonly assessorList: Percentiles;
  /** How many paths the assessors of the timed requests had, on average. */
  readonly assessorPaths: number;
  /** The list's p50/p95 per kind of filter, to see which ones cost. */
  readonly listByKind: Record<string, Percentiles>;
}

/**
 * `GET /enrollments/{id}` for random enrollments of ORGANISATION and `GET /enrollments` with the
 * filter mix above, by an admin of ORGANISATION, then `GET /enrollments` by one of the generated
 * paths' assessors (their own list: page 1 or 2, as enrolled), in turn, one request at a time on one
 * keep-alive connection; after `warmup` of each, `requests` of each are timed (client side, until
 * the answer is parsed).
 */
export async function measureQueries(api: BenchApi, home: SqlDatabase, options: { warmup: number; requests: number }): Promise<QueryResult> {
  const client = new HttpClient(api.port, 1);
  try {
    const token = api.token('admin', 'admin-bench');
    const random = prng(20260401);
    const total = options.warmup + options.requests;
    const counts = (
      await sql<{ enrollments: number; rows: number }>`
      SELECT (count(*) FILTER (WHERE organisation_id = ${ORGANISATION}))::int AS enrollments, count(*)::int AS rows FROM candidate_paths`.execute(home.db)
    ).rows[0];
    const ids = (
      await sql<{
        enrollment_id: string;
      }>`SELECT enrollment_id FROM candidate_paths WHERE organisation_id = ${ORGANISATION} ORDER BY md5(enrollment_id || ${String(Date.now())}) LIMIT ${total}`.execute(
        home.db,
      )
    ).rows.map((r) => r.enrollment_id);
    const lists = await listRequests(home, random, total);
    const pathTimes: number[] = [];
    const listTimes: number[] = [];
    const assessorTimes: number[] = [];
    const assessorTotals: number[] = [];
    const byKind = new Map<string, number[]>();
    for (let i = 0; i < total; i++) {
      const path = await timed(() => client.expect(200, 'GET', `/enrollments/${ids[i % ids.length]}`, token));
      const list = await timed(() => client.expect(200, 'GET', lists[i].query, token));
      if (!Array.isArray(list.result.items)) throw new Error(`GET ${lists[i].query} answered no items`);
      const assessor = api.token('assessor', generatedAssessorId(Math.floor(random() * GENERATED_ASSESSORS)));
      const assessorQuery = `/enrollments?page=${random() < 0.5 ? 1 : 2}&pageSize=50`;
      const own = await timed(() => client.expect(200, 'GET', assessorQuery, assessor));
      if (own.result.total === 0) throw new Error(`GET ${assessorQuery} as an assessor of the generated paths answered none`);
      if (i < options.warmup) continue;
      pathTimes.push(path.seconds * 1000);
      listTimes.push(list.seconds * 1000);
      assessorTimes.push(own.seconds * 1000);
      assessorTotals.push(own.result.total);
      byKind.set(lists[i].kind, [...(byKind.get(lists[i].kind) ?? []), list.seconds * 1000]);
    }
    return {
      enrollments: counts.enrollments,
      tableRows: counts.rows,
      path: percentiles(pathTimes),
      list: percentiles(listTimes),
      assessorList: percentiles(assessorTimes),
      assessorPaths: Math.round(assessorTotals.reduce((a, b) => a + b, 0) / assessorTotals.length),
      listByKind: Object.fromEntries([...byKind].sort(([a], [b]) => a.localeCompare(b)).map(([kind, times]) => [kind, percentiles(times)])),
    };
  } finally {
    client.close();
  }
}

/** One command's events, as the api appended them (type, data, metadata). */
export type CommandAppend = BareAppendRequest['events'];

/** The appends the api made at `positions` (answers of its commands), each command's events in their order. */
export async function appendsAt(home: SqlDatabase, positions: readonly string[]): Promise<CommandAppend[]> {
  const commits = positions.map((position) => position.split('-')[0]);
  const { rows } = await sql<{ transaction_id: string; event_type: string; data: Record<string, unknown>; metadata: Record<string, unknown> }>`
    SELECT transaction_id::text AS transaction_id, event_type, data, metadata FROM events
    WHERE transaction_id = ANY(${commits}::xid8[]) ORDER BY transaction_id, global_position`.execute(home.db);
  const appends = new Map<string, { type: string; data: Record<string, unknown>; metadata: Record<string, unknown> }[]>();
  for (const row of rows) {
    const events = appends.get(row.transaction_id) ?? [];
    events.push({ type: row.event_type, data: row.data, metadata: row.metadata });
    appends.set(row.transaction_id, events);
  }
  return [...appends.values()];
}

/**
 * The api's own command appends replayed through the bare append server (bench/bare-append-server.ts),
 * one command's events per request, over the same connections, each worker on a stream of its own
 * with the exact expected revision: what the same appends cost behind one HTTP round trip with no
 * framework, token, validation, state, decision or projection, so the ceiling of the commands here.
 * The types get a `Bare` prefix, so that no projection or process manager takes them for real facts.
 */
export async function bareAppendWorkload(client: HttpClient, appends: readonly CommandAppend[]): Promise<Workload> {
  if (appends.length === 0) throw new Error('no command appends to replay');
  const replayed = appends.map((events) => events.map((e) => ({ ...e, type: `Bare${e.type}` })));
  return createWorkload('http_bare_append_c4', client.connections, async (w) => {
    const streamId = `bench-bare-${w}-${randomUUID().slice(0, 8)}`;
    let expectedRevision: ExpectedRevision = 'no_stream';
    let next = w;
    return {
      op: async () => {
        const request: BareAppendRequest = { expectedRevision, events: replayed[next++ % replayed.length] };
        expectedRevision = (await client.expect(201, 'POST', `/streams/${streamId}`, '', request)).revision;
      },
    };
  });
}

/**
 * `GET /health` over the same connections: one SQL statement (the checkpoints) behind the api's
 * whole HTTP pipeline, no token. What the api answers per second when a request does next to
 * nothing: the ceiling any command could reach on this machine, to read http_command_ratio against.
 */
export async function httpFloorWorkload(client: HttpClient): Promise<Workload> {
  return createWorkload('http_floor_c4', client.connections, async () => ({
    op: async () => {
      await client.expect(200, 'GET', '/health', '');
    },
  }));
}

/**
 * The measured command's request (its path, token and body, every criterion of one épreuve met)
 * sent to the framework floor server (bench/framework-floor-server.ts) on one HTTP platform: Nest,
 * the token's verification and the body's validation, nothing else.
 */
export async function frameworkFloorWorkload(name: string, client: HttpClient, token: string, referential: Referential): Promise<Workload> {
  const epreuve = referential.blocs.flatMap((b) => b.epreuves)[0];
  const criteria = [...indexReferential(referential).epreuves.get(epreuve.code)!.criteria];
  const body = { results: criteria.map((criterion) => ({ criterion, met: true })) };
  return createWorkload(name, client.connections, async () => ({
    op: async () => {
      await client.expect(201, 'POST', `/enrollments/${randomUUID()}/sittings/${randomUUID()}/assessments`, token, body);
    },
  }));
}
