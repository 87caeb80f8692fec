import { Job, JobsOptions, Queue, Worker } from 'bullmq';
import IORedis, { Redis } from 'ioredis';
import { IssueJob, RevokeJob } from './issuance.service';

export const ISSUANCE_QUEUE = 'jalon-issuance';

/** Job payloads carry ids only: the worker reads everything else from the log (no personal data in Redis). */
export type IssuanceJobData = { readonly type: 'issue'; readonly job: IssueJob } | { readonly type: 'revoke'; readonly job: RevokeJob };

/** Deterministic ids: the same decision enqueued twice (a replay, a reconciler pass) is one job. */
export const jobIdOf = (data: IssuanceJobData): string => (data.type === 'issue' ? `issue-${data.job.decisionEventId}` : `revoke-${data.job.number}`);

const JOB_OPTIONS: JobsOptions = {
  attempts: 10,
  backoff: { type: 'exponential', delay: 1000 },
  // Completed jobs go after an hour or beyond a thousand; failed ones stay, with their error, for admins.
  removeOnComplete: { age: 3600, count: 1000 },
  removeOnFail: false,
};

export interface RedisSettings {
  readonly url: string;
  /** Key prefix, so several deployments (or test suites) share one Redis without meeting. */
  readonly prefix?: string;
}

export const connect = (settings: RedisSettings): Redis => new IORedis(settings.url, { maxRetriesPerRequest: null, lazyConnect: false });

export class IssuanceQueue {
  private readonly queue: Queue<IssuanceJobData>;

  constructor(
    private readonly connection: Redis,
    private readonly settings: RedisSettings,
  ) {
    this.queue = new Queue<IssuanceJobData>(ISSUANCE_QUEUE, { connection, prefix: settings.prefix });
  }

  /**
   * Resolves once Redis has the job (or already had it): what the process manager waits for before
   * moving on. A job that failed for good under the same id is retried, so the reconciler's pass
   * reaches every decision still without its document (re-adding an existing id does nothing).
   */
  async enqueue(data: IssuanceJobData): Promise<void> {
    const jobId = jobIdOf(data);
    const existing = await this.queue.getJob(jobId);
    if (existing && (await existing.isFailed())) {
      await existing.retry('failed');
      return;
    }
    await this.queue.add(data.type, data, { ...JOB_OPTIONS, jobId });
  }

  async counts(): Promise<Record<string, number>> {
    return this.queue.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed');
  }

  async failed(limit = 100): Promise<{ id: string; data: IssuanceJobData; attempts: number; error: string; failedAt?: string }[]> {
    const jobs = await this.queue.getFailed(0, limit - 1);
    return jobs.map((job) => ({ id: String(job.id), data: job.data, attempts: job.attemptsMade, error: job.failedReason, ...(job.finishedOn ? { failedAt: new Date(job.finishedOn).toISOString() } : {}) }));
  }

  /** Redis must keep every key: an evicted job is a lost certificate. */
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

export interface IssuanceWorkerOptions {
  /** Jobs run at once by this process (4). */
  readonly concurrency?: number;
  /** BullMQ's lockDuration and stalledInterval (30 s each): how soon a dead worker's jobs are taken up again. */
  readonly lockDurationMs?: number;
  readonly stalledIntervalMs?: number;
  /** Stalls (the worker died mid-job) after which a job fails for good (100). */
  readonly maxStalledCount?: number;
}

/** The issuance worker: the service's, the worker process's, the crash test's and the bench's. */
export function startIssuanceWorker(process: (data: IssuanceJobData) => Promise<string>, connection: Redis, settings: RedisSettings, options: IssuanceWorkerOptions = {}): Worker<IssuanceJobData, string> {
  return new Worker<IssuanceJobData, string>(ISSUANCE_QUEUE, (job: Job<IssuanceJobData>) => process(job.data), {
    connection,
    prefix: settings.prefix,
    concurrency: options.concurrency ?? 4,
    ...(options.lockDurationMs !== undefined ? { lockDuration: options.lockDurationMs } : {}),
    ...(options.stalledIntervalMs !== undefined ? { stalledInterval: options.stalledIntervalMs } : {}),
    // A job whose worker died is picked up again; BullMQ's default (1) would fail it for good after
    // two crashes. The job is idempotent, so many restarts cost nothing.
    maxStalledCount: options.maxStalledCount ?? 100,
  });
}
