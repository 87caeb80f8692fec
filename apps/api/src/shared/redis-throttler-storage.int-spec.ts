import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { REDIS_TEST_DATABASES, redisTestUrl } from '@jalon/issuance/testing/redis-test-databases';
import { RedisThrottlerStorage, sharedThrottlerStorage } from './redis-throttler-storage';
import { MINUTE, throttlerStorageContract } from './testing/throttler-storage-contract';
import { WindowThrottlerStorage } from './window-throttler-storage';

const REDIS_URL = redisTestUrl(REDIS_TEST_DATABASES.issuancePrefixed);

describe('sliding-window throttler storage in Redis, shared by the api processes (real Redis)', () => {
  const prefix = `jalon-throttle-${process.pid}-${randomBytes(4).toString('hex')}`;
  const opened: RedisThrottlerStorage[] = [];
  let inspector: Redis;

  /** A storage as an api process opens it: a connection of its own, under the test's prefix. */
  const open = async (warn: (message: string) => void = () => undefined, url = REDIS_URL) => {
    const storage = sharedThrottlerStorage({ url, prefix }, warn);
    opened.push(storage);
    return storage;
  };
  const connected = async (storage: RedisThrottlerStorage) => {
    const redis = (storage as unknown as { redis: Redis }).redis;
    if (redis.status !== 'ready') await new Promise((resolve) => redis.once('ready', resolve));
    return storage;
  };

  beforeAll(() => {
    inspector = new Redis(REDIS_URL);
  });
  afterAll(async () => {
    for (const storage of opened) await storage.onApplicationShutdown();
    // ioredis closing a connection that never connected leaves a 2 s timer (its disconnectTimeout) behind: let it run out.
    if (opened.some((storage) => (storage as unknown as { redis: Redis }).redis.status !== 'end')) await new Promise((resolve) => setTimeout(resolve, 2100));
    const keys = await inspector.keys(`${prefix}:*`);
    if (keys.length > 0) await inspector.del(...keys);
    await inspector.quit();
  });

  describe('the same windows as in memory, on the clock it is given', () => {
    throttlerStorageContract(async (now) => {
      const redis = new Redis(REDIS_URL);
      await new Promise((resolve) => redis.once('ready', resolve));
      const storage = new RedisThrottlerStorage(redis, prefix, { now });
      opened.push(storage);
      return storage;
    });
  });

  it('two processes count one caller together, on Redis’s clock: over the limit on one, refused on the other', async () => {
    const [first, second] = [await connected(await open()), await connected(await open())];
    const key = `caller-${randomBytes(4).toString('hex')}`;
    const records = [];
    for (let i = 0; i < 10; i++) records.push(await (i % 2 ? second : first).increment(key, MINUTE, 10, MINUTE, 'default'));
    // Each process sees the other's hits (unless the ten straddle a minute, when the previous one's weigh a little less).
    expect(records.every((r) => !r.isBlocked)).toBe(true);
    expect(records.at(-1)!.totalHits).toBeGreaterThanOrEqual(9);
    const overOnFirst = await first.increment(key, MINUTE, 10, MINUTE, 'default');
    expect(overOnFirst).toMatchObject({ isBlocked: true, timeToBlockExpire: 60 });
    expect(await second.increment(key, MINUTE, 10, MINUTE, 'default')).toMatchObject({ isBlocked: true });
  });

  it('counts concurrent requests atomically: of 60 at once on two processes, exactly the limit pass', async () => {
    const [first, second] = [await connected(await open()), await connected(await open())];
    const clock = () => 20 * MINUTE;
    const redisOf = (storage: RedisThrottlerStorage) => (storage as unknown as { redis: Redis }).redis;
    const a = new RedisThrottlerStorage(redisOf(first), prefix, { now: clock });
    const b = new RedisThrottlerStorage(redisOf(second), prefix, { now: clock });
    const key = `burst-${randomBytes(4).toString('hex')}`;
    const records = await Promise.all(Array.from({ length: 60 }, (_, i) => (i % 2 ? a : b).increment(key, MINUTE, 25, MINUTE, 'default')));
    expect(records.filter((r) => !r.isBlocked)).toHaveLength(25);
    expect(
      records
        .filter((r) => !r.isBlocked)
        .map((r) => r.totalHits)
        .sort((x, y) => x - y),
    ).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
  });

  /** Counts the storage's round trips to Redis (one script call each). */
  const countingRoundTrips = (storage: RedisThrottlerStorage) => {
    const inner = storage as unknown as { hitWindow: (...args: unknown[]) => Promise<unknown> };
    const original = inner.hitWindow;
    const counter = { calls: 0 };
    inner.hitWindow = (...args: unknown[]) => {
      counter.calls++;
      return original(...args);
    };
    return counter;
  };
  /** `total` requests of one caller, `concurrency` at a time, spread over the storages in turn. */
  const burst = async (storages: RedisThrottlerStorage[], key: string, total: number, limit: number, concurrency = 8) => {
    const records = [];
    for (let sent = 0; sent < total; sent += concurrency) {
      const wave = Array.from({ length: Math.min(concurrency, total - sent) }, (_, i) =>
        storages[(sent + i) % storages.length].increment(key, MINUTE, limit, MINUTE, 'default'),
      );
      records.push(...(await Promise.all(wave)));
    }
    return records;
  };
  const counted = async (storage: RedisThrottlerStorage, key: string) => Number(await inspector.hget(storage.keyOf(key, 'default'), 'current'));

  it('counts a busy caller by leases: far fewer round trips than requests, and every hit it did not use goes back', async () => {
    const [first, second] = [await connected(await open()), await connected(await open())];
    const trips = [countingRoundTrips(first), countingRoundTrips(second)];
    const key = `busy-${randomBytes(4).toString('hex')}`;
    const records = await burst([first, second], key, 2000, 100_000);
    expect(records.every((r) => !r.isBlocked)).toBe(true);
    const calls = trips[0].calls + trips[1].calls;
    expect(calls).toBeLessThan(2000 / 5);
    // Redis counted what the leases took; what they left unused goes back once they expire (the sweep, every second).
    const deadline = Date.now() + 5000;
    while ((await counted(first, key)) !== 2000 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await counted(first, key)).toBe(2000);
    process.stdout.write(`throttle leases: 2000 requests of one caller over two processes, ${calls} round trips to Redis\n`);
  });

  it('lets no busy caller by over the limit across processes, leases or not', async () => {
    const [first, second] = [await connected(await open()), await connected(await open())];
    const key = `over-${randomBytes(4).toString('hex')}`;
    // A limit of 500 allows leases of up to 5 hits: the other process may hold that many unused when one reaches the limit.
    const records = await burst([first, second], key, 1000, 500);
    const admitted = records.filter((r) => !r.isBlocked).length;
    expect(admitted).toBeLessThanOrEqual(500);
    expect(admitted).toBeGreaterThanOrEqual(500 - 2 * 5);
    expect(await first.increment(key, MINUTE, 500, MINUTE, 'default')).toMatchObject({ isBlocked: true });
    expect(await second.increment(key, MINUTE, 500, MINUTE, 'default')).toMatchObject({ isBlocked: true });
  });

  it('gives what its leases hold unused back when the api stops', async () => {
    const storage = await connected(await open());
    const key = `stopping-${randomBytes(4).toString('hex')}`;
    await burst([storage], key, 300, 100_000);
    await storage.onApplicationShutdown();
    expect(await counted(storage, key)).toBe(300);
  });

  it('keeps a client as one hash under the prefix, expiring on its own once it can no longer count', async () => {
    const storage = await connected(await open());
    const key = `expiring-${randomBytes(4).toString('hex')}`;
    await storage.increment(key, MINUTE, 10, MINUTE, 'default');
    expect(storage.keyOf(key, 'default')).toBe(`${prefix}:throttle:default:${key}`);
    expect(await inspector.type(storage.keyOf(key, 'default'))).toBe('hash');
    const ttl = await inspector.pttl(storage.keyOf(key, 'default'));
    // Until the end of the next window: between one and two minutes from now.
    expect(ttl).toBeGreaterThan(MINUTE - 1000);
    expect(ttl).toBeLessThanOrEqual(2 * MINUTE);
    // A block longer than that keeps the key as long as the block.
    const blocked = `blocked-${randomBytes(4).toString('hex')}`;
    await storage.increment(blocked, MINUTE, 1, MINUTE, 'default');
    await storage.increment(blocked, MINUTE, 1, 10 * MINUTE, 'default');
    expect(await inspector.pttl(storage.keyOf(blocked, 'default'))).toBeGreaterThan(9 * MINUTE);
  });

  it('without Redis, counts in this process at once, says so once, and never fails a request', async () => {
    const warnings: string[] = [];
    // Nothing listens on port 1: every connection attempt is refused.
    const storage = await open((message) => warnings.push(message), 'redis://127.0.0.1:1');
    const started = performance.now();
    const records = [];
    for (let i = 0; i < 4; i++) records.push(await storage.increment('offline-caller', MINUTE, 3, MINUTE, 'default'));
    expect(performance.now() - started).toBeLessThan(100);
    expect(records.map((r) => r.isBlocked)).toEqual([false, false, false, true]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^the rate limit's Redis does not answer \(.*\): each api process counts its callers alone until it does$/);
  });

  it('falls back to its own count while its connection is lost, and shares again once it is back', async () => {
    const storage = await connected(await open());
    const redis = (storage as unknown as { redis: Redis }).redis;
    const fallback = (storage as unknown as { fallback: WindowThrottlerStorage }).fallback;
    const key = `reconnecting-${randomBytes(4).toString('hex')}`;
    await storage.increment(key, MINUTE, 10, MINUTE, 'default');
    // The connection drops (and reconnects by itself): meanwhile the request is counted here.
    const closed = new Promise((resolve) => redis.once('close', resolve));
    redis.disconnect(true);
    await closed;
    expect(await storage.increment(key, MINUTE, 10, MINUTE, 'default')).toMatchObject({ isBlocked: false, totalHits: 1 });
    expect(fallback.size).toBe(1);
    await connected(storage);
    expect((await storage.increment(key, MINUTE, 10, MINUTE, 'default')).totalHits).toBeGreaterThanOrEqual(1);
    expect(await inspector.hget(storage.keyOf(key, 'default'), 'current')).not.toBeNull();
  });
});
