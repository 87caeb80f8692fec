import { randomUUID } from 'node:crypto';
import { ThrottlerStorage } from '@nestjs/throttler';

export const MINUTE = 60_000;

/**
 * What every rate-limit storage of the api must do (the sliding-window counter of hitWindow): the
 * in-memory one's spec and the Redis one's integration spec call this with a factory for a fresh
 * storage on the clock they are given, so both keep the same windows.
 */
export function throttlerStorageContract(open: (now: () => number) => ThrottlerStorage | Promise<ThrottlerStorage>): void {
  let now: number;
  let storage: ThrottlerStorage;
  /** Each test's clients are its own: a shared Redis keeps the windows of the tests before. */
  let client: (name: string) => string;
  const hit = (key: string, limit = 10, blockDuration = MINUTE) => storage.increment(client(key), MINUTE, limit, blockDuration, 'default');
  const hits = async (n: number, key: string, limit?: number) => {
    const records = [];
    for (let i = 0; i < n; i++) records.push(await hit(key, limit));
    return records;
  };

  beforeEach(async () => {
    now = 10 * MINUTE;
    storage = await open(() => now);
    const run = randomUUID();
    client = (name) => `${run}:${name}`;
  });

  it('lets a client make `limit` requests in a window, then blocks it, counting each client apart', async () => {
    const records = await hits(11, 'client-a');
    expect(records.slice(0, 10).every((r) => !r.isBlocked)).toBe(true);
    expect(records.map((r) => r.totalHits).slice(0, 10)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(records[0]).toMatchObject({ timeToExpire: 60, timeToBlockExpire: 0 });
    expect(records[10]).toMatchObject({ isBlocked: true, totalHits: 11, timeToBlockExpire: 60 });
    expect((await hit('client-b')).isBlocked).toBe(false);
  });

  it('weighs the previous window by how much of it still overlaps the last minute', async () => {
    await hits(10, 'client-a', 100);
    // A quarter into the next window, three quarters of the previous one still count: 7 of 10.
    now += MINUTE + MINUTE / 4;
    expect(await hit('client-a', 100)).toMatchObject({ totalHits: 8, timeToExpire: 45 });
    // Two windows later, nothing of the first is left: the previous window's one hit weighs 0.75, floored.
    now += MINUTE;
    expect((await hit('client-a', 100)).totalHits).toBe(1);
  });

  it('keeps a blocked client blocked for the block duration, without counting its blocked requests', async () => {
    await hits(10, 'client-a');
    now += 1000;
    expect(await hit('client-a', 10, 30_000)).toMatchObject({ isBlocked: true, timeToBlockExpire: 30 });
    now += 29_000;
    expect((await hit('client-a', 10, 30_000)).isBlocked).toBe(true);
    // The block is over, but the 10 hits of this window still count: blocked again.
    now += 1000;
    expect((await hit('client-a', 10, 30_000)).isBlocked).toBe(true);
    // Three quarters into the next window, the block long over: a quarter of the previous ten (2) still count.
    now = 11 * MINUTE + 45_000;
    expect(await hit('client-a', 10, 30_000)).toMatchObject({ isBlocked: false, totalHits: 3 });
  });

  it('counts each throttler apart', async () => {
    await hits(10, 'client-a');
    expect((await hit('client-a')).isBlocked).toBe(true);
    expect((await storage.increment(client('client-a'), MINUTE, 10, MINUTE, 'other')).isBlocked).toBe(false);
  });
}
