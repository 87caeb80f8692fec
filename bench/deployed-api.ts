import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JwtService } from '@nestjs/jwt';
import { sql } from 'kysely';
import { Role } from '@jalon/domain';
import { EventStore, GlobalPosition, SqlDatabase } from '@jalon/event-store';
import { ChildWorker, spawnChildWorker, spawnService } from '@jalon/event-store/testing/child-worker';
import { ISSUANCE_PROCESS } from '@jalon/issuance';
import { CANDIDATE_PATH_PROJECTION, createAllProjections } from '@jalon/read-models';
import { BENCH_MASTER_KEYS } from './bench-master-keys';

/** The organisation every api caller of the bench belongs to, and the one the query data set fills. */
export const ORGANISATION = 'org-1';

/** What the bench does with the projections of the deployed worker: hold them, let them run, wait for them. */
export interface BenchProjections {
  /** Every projection the worker runs. */
  readonly names: readonly string[];
  /** Lets the worker's projections run (SIGCONT). */
  resume(): void;
  /** Freezes the worker (SIGSTOP): other workloads are measured with no projection working. */
  pause(): void;
  /** Waits, the worker running, until every projection has applied everything committed so far; returns the ms it took. */
  settle(timeoutMs?: number): Promise<number>;
}

export interface CpuSeconds {
  /** Every api process's, added up. */
  readonly api: number;
  readonly worker: number;
  readonly postgres: number;
  /** The bench itself: the HTTP client's side of each request. */
  readonly bench: number;
}

/**
 * The api as docker-compose.yml deploys it: `apps/api` in a process of its own (RUN_PROJECTIONS=false),
 * and `apps/worker` in another running the projections, both started from their entry points on
 * the bench's PostgreSQL, listening on a free local port.
 */
export interface BenchApi {
  readonly port: number;
  /** Every api process's port: the first is `port`; more with `apis` > 1. */
  readonly ports: readonly number[];
  readonly projections: BenchProjections;
  /** The secret the api signs and verifies its own tokens with (the framework floor servers verify them too). */
  readonly jwtSecret: string;
  token(role: Role, subject: string): string;
  /** Moves the projections the bench does not measure to the head of the log (see skipHistory). */
  skipHistory(): Promise<string[]>;
  /** With a CPU profile directory: each process writes its profile since the previous call (bench/cpu-profile.js); the worker stays frozen. */
  writeCpuProfiles(): Promise<void>;
  /** CPU seconds (user + system) used so far by the api, the worker, PostgreSQL and this (the bench's) process, from /proc. */
  cpuSeconds(): CpuSeconds;
  /** Stops both processes and removes the bench's data directory and Redis keys. */
  close(): Promise<void>;
}

/**
 * Moves the checkpoints of `names` to the head of the log. The bench's generated history is taken
 * as processed long ago: the issuance process manager would otherwise ask for an attestation or a
 * certificate for every bloc validated and certification awarded in it (hundreds of thousands of
 * jobs in Redis for the query data set), which is neither a command's cost nor a query's.
 */
export async function skipHistory(home: SqlDatabase, store: EventStore, names: readonly string[]): Promise<GlobalPosition> {
  const head = await store.headPosition();
  for (const name of names) {
    await sql`INSERT INTO projection_checkpoints (projection, commit_position, prepare_position) VALUES (${name}, ${head.commit.toString()}::bigint, ${head.prepare.toString()}::bigint)
      ON CONFLICT (projection) DO UPDATE SET commit_position = excluded.commit_position, prepare_position = excluded.prepare_position, updated_at = clock_timestamp()`.execute(
      home.db,
    );
  }
  return head;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once `worker` printed a line starting with `prefix`; rejects if it exits first or takes too long. */
export async function waitForLine(worker: ChildWorker, prefix: string, timeoutMs = 60_000): Promise<void> {
  await new Promise<void>((done, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no line "${prefix}…" after ${timeoutMs} ms; stderr:\n${worker.stderr()}`)), timeoutMs);
    worker.child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.split('\n').some((line) => line.startsWith(prefix))) {
        clearTimeout(timer);
        done();
      }
    });
    void worker.exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`process exited before "${prefix}…" (code ${code}, signal ${signal}); stderr:\n${worker.stderr()}`));
    });
  });
}

/** User + system CPU seconds of a process, from /proc/PID/stat (utime, stime, in clock ticks of 1/100 s); 0 if it is gone. */
export function cpuSecondsOf(pid: number | string | undefined): number {
  if (pid === undefined) return 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** CPU seconds of every PostgreSQL process of the machine (the server is the bench's alone while it runs). */
export function postgresCpuSeconds(): number {
  let total = 0;
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres') total += cpuSecondsOf(pid);
    } catch {
      // gone meanwhile
    }
  }
  return total;
}

export async function stopProcess(worker: ChildWorker): Promise<void> {
  if (worker.child.exitCode !== null || worker.child.signalCode !== null) return;
  worker.child.kill('SIGCONT');
  worker.child.kill('SIGTERM');
  const timer = setTimeout(() => worker.child.kill('SIGKILL'), 10_000);
  await worker.exited;
  clearTimeout(timer);
}

/**
 * Starts the api and the worker on `databaseUrl` as deployed, each as `npm start` and `npm run
 * worker` run it (scripts/run.js: compiled JavaScript): EVENT_STORE=postgres, a data directory and a Redis prefix of their own,
 * RUN_ISSUANCE=false (no certificate is rendered while the api is measured: the issuance process
 * manager still runs and queues), THROTTLE_PER_MINUTE out of the bench's reach. The projections
 * start paused once they have caught up; the bench resumes them where it measures them.
 */
export async function startDeployedApi(
  databaseUrl: string,
  home: SqlDatabase,
  store: EventStore,
  options: { cpuProfileDir?: string; apis?: number } = {},
): Promise<BenchApi> {
  // Projections other than the one the bench measures start at the head (skipHistory).
  await skipHistory(home, store, [ISSUANCE_PROCESS]);
  const dataDir = mkdtempSync(join(tmpdir(), 'jalon-bench-'));
  const secret = randomBytes(32).toString('hex');
  const ports: number[] = [];
  for (let i = 0; i < (options.apis ?? 1); i++) ports.push(await freePort());
  const port = ports[0];
  const prefix = `jalon-bench-${randomBytes(4).toString('hex')}`;
  const env: Record<string, string> = {
    EVENT_STORE: 'postgres',
    DATABASE_URL: databaseUrl,
    JWT_SECRET: secret,
    MASTER_KEYS: BENCH_MASTER_KEYS,
    PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
    LOG_LEVEL: 'error',
    DATA_DIR: dataDir,
    REDIS_PREFIX: prefix,
    RUN_ISSUANCE: 'false',
    // The per-client rate limit (1200/min by default) would answer 429 to the bench's own load: the
    // guard still runs on every request, with a limit the bench cannot reach.
    THROTTLE_PER_MINUTE: '1000000',
    PORT: String(port),
  };
  const profiled = (name: string): [Record<string, string>, string[]] =>
    options.cpuProfileDir === undefined ? [{}, []] : [{ CPU_PROFILE_DIR: options.cpuProfileDir, CPU_PROFILE_NAME: name }, ['-r', './bench/cpu-profile.js']];
  const worker = spawnService('worker', { ...env, ...profiled('worker')[0] }, profiled('worker')[1]);
  const apis: ChildWorker[] = [];
  const close = async () => {
    await Promise.all([...apis.map(stopProcess), stopProcess(worker)]);
    rmSync(dataDir, { recursive: true, force: true });
    const { connect } = await import('@jalon/issuance');
    const redis = connect({ url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', prefix });
    try {
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
    } finally {
      redis.disconnect();
    }
  };
  try {
    await waitForLine(worker, 'Jalon worker running');
    // The api processes as replicas behind a load balancer: the same configuration, each its own port.
    for (const [i, apiPort] of ports.entries()) {
      const name = i === 0 ? 'api' : `api${i + 1}`;
      apis.push(spawnService('api', { ...env, PORT: String(apiPort), RUN_PROJECTIONS: 'false', ...profiled(name)[0] }, profiled(name)[1]));
    }
    await Promise.all(apis.map((api) => waitForLine(api, 'Jalon api listening')));
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
  const jwt = new JwtService({ secret });
  let profilesWritten = 0;
  const names = [...createAllProjections().map((p) => p.name), ISSUANCE_PROCESS];
  const projections: BenchProjections = {
    names,
    resume: () => void worker.child.kill('SIGCONT'),
    pause: () => void worker.child.kill('SIGSTOP'),
    async settle(timeoutMs = 300_000) {
      const started = performance.now();
      const head = await store.headPosition();
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const { rows } = await sql<{ behind: number; failed: string | null }>`
          SELECT count(*) FILTER (WHERE status <> 'failed' AND (commit_position, prepare_position) < (${head.commit.toString()}::bigint, ${head.prepare.toString()}::bigint))::int AS behind,
                 string_agg(projection || ': ' || coalesce(error, ''), '; ') FILTER (WHERE status = 'failed') AS failed
          FROM projection_checkpoints WHERE projection = ANY(${names}::text[])`.execute(home.db);
        if (rows[0].failed) throw new Error(`projections failed in the worker: ${rows[0].failed}`);
        if (rows[0].behind === 0) return performance.now() - started;
        if (Date.now() > deadline) throw new Error(`the worker's projections did not catch up within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
  };
  await projections.settle();
  projections.pause();
  return {
    port,
    ports,
    projections,
    jwtSecret: secret,
    token: (role, subject) => jwt.sign({ role, org: ORGANISATION }, { subject, expiresIn: '1h' }),
    async skipHistory() {
      const others = names.filter((name) => name !== CANDIDATE_PATH_PROJECTION);
      await skipHistory(home, store, others);
      return others;
    },
    async writeCpuProfiles() {
      if (options.cpuProfileDir === undefined) return;
      const dir = options.cpuProfileDir;
      profilesWritten += 1;
      for (const api of apis) api.child.kill('SIGWINCH');
      worker.child.kill('SIGWINCH');
      // The worker is frozen between the slices: let it run until it has written its profile.
      worker.child.kill('SIGCONT');
      const files = ['api', 'worker'].map((name) => join(dir, `${name}-${profilesWritten}.cpuprofile`));
      const deadline = Date.now() + 10_000;
      while (!files.every((file) => existsSync(file)) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      worker.child.kill('SIGSTOP');
    },
    cpuSeconds: () => ({
      api: apis.reduce((total, api) => total + cpuSecondsOf(api.child.pid), 0),
      worker: cpuSecondsOf(worker.child.pid),
      postgres: postgresCpuSeconds(),
      bench: cpuSecondsOf(process.pid),
    }),
    close,
  };
}

/** A server of the bench's own in its own process (bare append, framework floor). */
export interface BenchServer {
  readonly port: number;
  /** CPU seconds (user + system) the server's process has used so far. */
  cpuSeconds(): number;
  close(): Promise<void>;
}

export async function startBareAppendServer(databaseUrl: string): Promise<BenchServer> {
  const port = await freePort();
  const server = spawnChildWorker('bench/bare-append-server.ts', { DATABASE_URL: databaseUrl, PORT: String(port) });
  try {
    await waitForLine(server, 'ready');
  } catch (error) {
    await stopProcess(server).catch(() => undefined);
    throw error;
  }
  return { port, cpuSeconds: () => cpuSecondsOf(server.child.pid), close: () => stopProcess(server) };
}

/** The framework floor server (bench/framework-floor-server.ts) on one HTTP platform, in its own process. */
export async function startFrameworkFloorServer(platform: 'express' | 'fastify', jwtSecret: string): Promise<BenchServer> {
  const port = await freePort();
  const server = spawnChildWorker('bench/framework-floor-server.ts', { PLATFORM: platform, JWT_SECRET: jwtSecret, PORT: String(port) });
  try {
    await waitForLine(server, 'ready');
  } catch (error) {
    await stopProcess(server).catch(() => undefined);
    throw error;
  }
  return { port, cpuSeconds: () => cpuSecondsOf(server.child.pid), close: () => stopProcess(server) };
}
