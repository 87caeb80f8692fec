import { WindowThrottlerStorage } from './window-throttler-storage';

describe('sliding-window throttler storage', () => {
  const MINUTE = 60_000;
  let now: number;
  let storage: WindowThrottlerStorage;
  const hit = (key = 'client-a', limit = 10, blockDuration = MINUTE) => storage.increment(key, MINUTE, limit, blockDuration, 'default');
  const hits = async (n: number, key?: string, limit?: number) => {
    const records = [];
    for (let i = 0; i < n; i++) records.push(await hit(key, limit));
    return records;
  };

  beforeEach(() => {
    now = 10 * MINUTE;
    storage = new WindowThrottlerStorage(() => now);
  });

  it('lets a client make `limit` requests in a window, then blocks it, counting each client apart', async () => {
    const records = await hits(11);
    expect(records.slice(0, 10).every((r) => !r.isBlocked)).toBe(true);
    expect(records.map((r) => r.totalHits).slice(0, 10)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(records[10]).toMatchObject({ isBlocked: true, timeToBlockExpire: 60 });
    expect((await hit('client-b')).isBlocked).toBe(false);
  });

  it('weighs the previous window by how much of it still overlaps the last minute', async () => {
    await hits(10, 'client-a', 100);
    // A quarter into the next window, three quarters of the previous one still count: 7 of 10.
    now += MINUTE + MINUTE / 4;
    expect((await hit('client-a', 100)).totalHits).toBe(8);
    // Two windows later, nothing of the first is left: the previous window's one hit weighs 0.75, floored.
    now += MINUTE;
    expect((await hit('client-a', 100)).totalHits).toBe(1);
  });

  it('keeps a blocked client blocked for the block duration, without counting its blocked requests', async () => {
    await hits(10);
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

  it('forgets clients idle for two windows', async () => {
    await hit('client-a');
    now += MINUTE;
    await hit('client-b');
    expect(storage.size).toBe(2);
    now += 2 * MINUTE;
    await hit('client-b');
    expect(storage.size).toBe(1);
  });
});
