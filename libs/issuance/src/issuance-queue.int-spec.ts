import { randomBytes } from 'node:crypto';
import { Queue, UnrecoverableError } from 'bullmq';
import { Redis } from 'ioredis';
import { connect, ISSUANCE_QUEUE, IssuanceJobData, IssuanceQueue, jobIdOf, startIssuanceWorker } from './issuance-queue';
import { REDIS_TEST_DATABASES, redisTestUrl } from './testing/redis-test-databases';

/** IssuanceQueue.enqueueAll against the real Redis: a bulk of deterministic ids, failed jobs retried. */

// A database and a prefix of this run's own; its keys are deleted afterwards (no FLUSHDB: see the crash test).
const REDIS_URL = redisTestUrl(REDIS_TEST_DATABASES.issuancePrefixed);
const PREFIX = `jalon-issuance-queue-${process.pid}-${randomBytes(4).toString('hex')}`;

const issue = (decisionEventId: string): IssuanceJobData => ({ type: 'issue', job: { kind: 'attestation', enrollmentId: 'e-1', decisionEventId } });
const revoke = (number: string): IssuanceJobData => ({ type: 'revoke', job: { enrollmentId: 'e-1', number, reasonCategory: 'bloc-annulled' } });

async function until(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !(await check()); await new Promise((resolve) => setTimeout(resolve, 20))) {
    if (Date.now() > deadline) throw new Error('timed out');
  }
}

describe('IssuanceQueue.enqueueAll (Redis)', () => {
  let redis: Redis;
  let queue: IssuanceQueue;
  let inspector: Queue<IssuanceJobData>;

  beforeAll(() => {
    redis = connect({ url: REDIS_URL });
    queue = new IssuanceQueue(redis, { url: REDIS_URL, prefix: PREFIX });
    inspector = new Queue<IssuanceJobData>(ISSUANCE_QUEUE, { connection: redis, prefix: PREFIX });
  });
  afterAll(async () => {
    await inspector?.close();
    await queue?.obliterate().catch(() => undefined);
    await queue?.close();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${PREFIX}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
    await redis?.quit().catch(() => redis.disconnect());
  });

  it('adds a batch under deterministic ids, once each, and retries a job that failed for good when it comes again', async () => {
    await queue.enqueueAll([issue('d-1'), revoke('JAL-A-0000000000A'), issue('d-1'), issue('d-2')]);
    expect(await queue.counts()).toMatchObject({ waiting: 3, active: 0, failed: 0 });
    const waiting = await inspector.getWaiting();
    expect(waiting.map((job) => job.id).sort()).toEqual(['issue-d-1', 'issue-d-2', 'revoke-JAL-A-0000000000A']);
    expect(waiting.find((job) => job.id === 'issue-d-1')).toMatchObject({
      name: 'issue',
      data: issue('d-1'),
      opts: expect.objectContaining({ attempts: 10, backoff: { type: 'exponential', delay: 1000 } }),
    });
    // The same batch again (a replay, a reconciler pass): nothing new.
    await queue.enqueueAll([issue('d-1'), issue('d-2'), revoke('JAL-A-0000000000A')]);
    expect(await queue.counts()).toMatchObject({ waiting: 3 });

    // d-1 fails for good, the others complete.
    const connection = connect({ url: REDIS_URL });
    const worker = startIssuanceWorker(
      async (data) => {
        if (jobIdOf(data) === 'issue-d-1') throw new UnrecoverableError('the référentiel is missing');
        return 'done';
      },
      connection,
      { url: REDIS_URL, prefix: PREFIX },
    );
    try {
      await until(async () => {
        const counts = await queue.counts();
        return counts.failed === 1 && counts.completed === 2;
      });
    } finally {
      await worker.close();
      await connection.quit().catch(() => connection.disconnect());
    }
    expect((await queue.failed()).map((f) => f.id)).toEqual(['issue-d-1']);

    // Enqueued again with a new decision: the failed one is retried, the completed ones are left
    // alone (each job id is one job), the new one is added.
    await queue.enqueueAll([issue('d-1'), issue('d-2'), issue('d-3')]);
    expect(await queue.counts()).toMatchObject({ waiting: 2, failed: 0, completed: 2 });
    expect((await inspector.getWaiting()).map((job) => job.id).sort()).toEqual(['issue-d-1', 'issue-d-3']);
    expect(await inspector.getJobState('issue-d-2')).toBe('completed');

    // One job alone goes the same way; nothing at all is fine.
    await queue.enqueue(issue('d-4'));
    await queue.enqueueAll([]);
    expect(await queue.counts()).toMatchObject({ waiting: 3 });
  });
});
