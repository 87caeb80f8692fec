import { BulkJobOptions, Job, Queue, Worker } from 'bullmq';
import IORedis, { Redis } from 'ioredis';
import { IssueJob, RevokeJob } from './issuance.service';

export const ISSUANCE_QUEUE = 'jalon-issuance';

/** Job payloads carry ids only: the worker reads everything else from the log (no personal data in Redis). */
export type IssuanceJobData = { readonly type: 'issue'; readonly job: IssueJob } | { readonly type: 'revoke'; readonly job: RevokeJob };

/** Deterministic ids: the same decision enqueued twice (a replay, a reconciler pass) is one job. */
export const jobIdOf = (data: IssuanceJobData): string => (data.type === 'issue' ? `issue-${data.job.decisionEventId}` : `revoke-${data.job.number}`);

/**
 * A kind of job fed from the log: its queue, and the deterministic id and name of each job. The
 * issuance jobs are one, the deliveries of documents by e-mail another; both go through the same
 * queue and worker code below.
 */
export interface JobKind<T> {
  readonly queue: string;
  readonly idOf: (data: T) => string;
  readonly nameOf: (data: T) => string;
}

export const ISSUANCE_JOBS: JobKind<IssuanceJobData> = { queue: ISSUANCE_QUEUE, idOf: jobIdOf, nameOf: (data) => data.type };

const JOB_OPTIONS: BulkJobOptions = {
  attempts: 10,
  backoff: { type: 'exponential', delay: 1000 },
  // Completed jobs go after an hour or beyond a thousand; failed ones stay, with their error, for admins.
  removeOnComplete: { age: 3600, count: 1000 },
  removeOnFail: false,
};

/** Jobs per addBulk pipeline: a projection batch (500 events by default) fits in one. */
const BULK_SIZE = 1000;

/** How a process manager and its reconciler hand jobs over: all of a batch at once, resolved once Redis has them. */
export type EnqueueJobs<T> = (jobs: readonly T[]) => Promise<void>;
export type EnqueueIssuanceJobs = EnqueueJobs<IssuanceJobData>;

export interface RedisSettings {
  readonly url: string;
  /** Key prefix, so several deployments (or test suites) share one Redis without meeting. */
  readonly prefix?: string;
}

export const connect = (settings: RedisSettings): Redis => new IORedis(settings.url, { maxRetriesPerRequest: null, lazyConnect: false });

/** The BullMQ queue of one kind of job: deterministic ids, retried with backoff, failed jobs kept for admins. */
export class JobQueue<T> {
  private readonly queue: Queue<T, string, string, T, string, string>;

  constructor(
    private readonly connection: Redis,
    private readonly settings: RedisSettings,
    private readonly kind: JobKind<T>,
  ) {
    this.queue = new Queue<T, string, string, T, string, string>(kind.queue, { connection, prefix: settings.prefix });
  }

  /** Errors of the queue's own connection (Redis gone, say): the caller decides how loud they are. */
  onError(listener: (error: Error) => void): void {
    this.queue.on('error', listener);
  }

  /** One job: {@link enqueueAll} of one. */
  async enqueue(data: T): Promise<void> {
    await this.enqueueAll([data]);
  }

  /**
   * Resolves once Redis has every job (or already had it): what the process manager waits for
   * before moving its checkpoint. The jobs go in one pipelined `addBulk` (a round trip per thousand
   * jobs, not two per job); re-adding an existing id does nothing, so a job that failed for good
   * under the same id is retried instead, and the reconciler's pass reaches every decision still
   * without its document. The same id twice in `jobs` is one job.
   */
  async enqueueAll(jobs: readonly T[]): Promise<void> {
    const byId = new Map<string, T>();
    for (const data of jobs) if (!byId.has(this.kind.idOf(data))) byId.set(this.kind.idOf(data), data);
    const ids = [...byId.keys()];
    for (let start = 0; start < ids.length; start += BULK_SIZE) {
      const chunk = ids.slice(start, start + BULK_SIZE);
      // Failed jobs are rare: one ZMSCORE tells which of the chunk's ids are in the failed set.
      const scores = await this.connection.zmscore(this.queue.keys.failed, ...chunk);
      for (const jobId of chunk.filter((_, i) => scores[i] !== null)) {
        const existing = await this.queue.getJob(jobId);
        if (existing && (await existing.isFailed())) await existing.retry('failed');
      }
      // Retried ones are no-ops here; so is every id Redis already has.
      await this.queue.addBulk(chunk.map((jobId) => ({ name: this.kind.nameOf(byId.get(jobId)!), data: byId.get(jobId)!, opts: { ...JOB_OPTIONS, jobId } })));
    }
  }

  /** One job run again under its id though it completed (completed jobs are kept an hour, and re-adding one does nothing): an admin's resend. */
  async enqueueAgain(data: T): Promise<void> {
    const existing = await this.queue.getJob(this.kind.idOf(data));
    if (existing && (await existing.isCompleted())) await existing.remove();
    await this.enqueueAll([data]);
  }

  async counts(): Promise<Record<string, number>> {
    return this.queue.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed');
  }

  async failed(limit = 100): Promise<{ id: string; data: T; attempts: number; error: string; failedAt?: string }[]> {
    const jobs = await this.queue.getFailed(0, limit - 1);
    return jobs.map((job) => ({
      id: String(job.id),
      data: job.data,
      attempts: job.attemptsMade,
      error: job.failedReason,
      ...(job.finishedOn ? { failedAt: new Date(job.finishedOn).toISOString() } : {}),
    }));
  }

  /** Redis must keep every key: an evicted job is a lost certificate (or a late e-mail). */
  async evictionPolicy(): Promise<string> {
    const answer = (await this.connection.config('GET', 'maxmemory-policy')) as string[];
    return answer[1] ?? 'unknown';
  }

  /** Removes the queue and all its jobs (tests, decommissioning): the reconciler can rebuild it from the log. */
  async obliterate(): Promise<void> {
    await this.queue.obliterate({ force: true });
  }

  async close(): Promise<void> {
    await this.queue.close();
  }

  get prefix(): string | undefined {
    return this.settings.prefix;
  }
}

/** The issuance jobs' queue: every decision's document to issue, every revocation to record. */
export class IssuanceQueue extends JobQueue<IssuanceJobData> {
  constructor(connection: Redis, settings: RedisSettings) {
    super(connection, settings, ISSUANCE_JOBS);
  }
}

export interface JobWorkerOptions {
  /** Jobs run at once by this process (4). */
  readonly concurrency?: number;
  /** BullMQ's lockDuration and stalledInterval (30 s each): how soon a dead worker's jobs are taken up again. */
  readonly lockDurationMs?: number;
  readonly stalledIntervalMs?: number;
  /** Stalls (the worker died mid-job) after which a job fails for good (100). */
  readonly maxStalledCount?: number;
  /** This worker's name, kept on every job it runs (BullMQ's `processedBy`): which process issued what, when several share the queue. */
  readonly name?: string;
}

export type IssuanceWorkerOptions = JobWorkerOptions;

/** The worker of one kind of job, run by the service, the worker process, the crash tests and the bench. */
export function startJobWorker<T>(
  kind: JobKind<T>,
  process: (data: T) => Promise<string>,
  connection: Redis,
  settings: RedisSettings,
  options: JobWorkerOptions = {},
): Worker<T, string> {
  return new Worker<T, string>(kind.queue, (job: Job<T>) => process(job.data), {
    connection,
    prefix: settings.prefix,
    concurrency: options.concurrency ?? 4,
    ...(options.lockDurationMs !== undefined ? { lockDuration: options.lockDurationMs } : {}),
    ...(options.stalledIntervalMs !== undefined ? { stalledInterval: options.stalledIntervalMs } : {}),
    ...(options.name !== undefined ? { name: options.name } : {}),
    // A job whose worker died is picked up again; BullMQ's default (1) would fail it for good after
    // two crashes. The job is idempotent, so many restarts cost nothing.
    maxStalledCount: options.maxStalledCount ?? 100,
  });
}

/** The issuance worker: the service's, the worker process's, the crash test's and the bench's. */
export function startIssuanceWorker(
  process: (data: IssuanceJobData) => Promise<string>,
  connection: Redis,
  settings: RedisSettings,
  options: JobWorkerOptions = {},
): Worker<IssuanceJobData, string> {
  return startJobWorker(ISSUANCE_JOBS, process, connection, settings, options);
}
