import { MINUTE, throttlerStorageContract } from './testing/throttler-storage-contract';
import { hitWindow, WindowThrottlerStorage } from './window-throttler-storage';

describe('sliding-window throttler storage, in memory', () => {
  throttlerStorageContract((now) => new WindowThrottlerStorage(now));

  it('forgets clients idle for two windows', async () => {
    let now = 10 * MINUTE;
    const storage = new WindowThrottlerStorage(() => now);
    await storage.increment('client-a', MINUTE, 10, MINUTE, 'default');
    now += MINUTE;
    await storage.increment('client-b', MINUTE, 10, MINUTE, 'default');
    expect(storage.size).toBe(2);
    now += 2 * MINUTE;
    await storage.increment('client-b', MINUTE, 10, MINUTE, 'default');
    expect(storage.size).toBe(1);
  });
});

describe('hitWindow: one request of a client', () => {
  it('starts a window aligned on the ttl, counting the request', () => {
    expect(hitWindow(undefined, 10 * MINUTE + 15_000, MINUTE, 5, MINUTE)).toEqual({
      window: { start: 10 * MINUTE, current: 1, previous: 0, blockedUntil: 0 },
      record: { totalHits: 1, timeToExpire: 45, isBlocked: false, timeToBlockExpire: 0 },
    });
  });

  it('makes the ended window the previous one, and forgets one older than that', () => {
    const ended = { start: 10 * MINUTE, current: 4, previous: 9, blockedUntil: 0 };
    expect(hitWindow(ended, 11 * MINUTE + 30_000, MINUTE, 5, MINUTE).window).toEqual({ start: 11 * MINUTE, current: 1, previous: 4, blockedUntil: 0 });
    expect(hitWindow(ended, 12 * MINUTE, MINUTE, 5, MINUTE).window).toEqual({ start: 12 * MINUTE, current: 1, previous: 0, blockedUntil: 0 });
  });

  it('blocks the request that would go over the limit, for the block duration or else a window, without counting it', () => {
    const full = { start: 10 * MINUTE, current: 5, previous: 0, blockedUntil: 0 };
    expect(hitWindow(full, 10 * MINUTE + 1000, MINUTE, 5, 10_000)).toEqual({
      window: { ...full, blockedUntil: 10 * MINUTE + 11_000 },
      record: { totalHits: 6, timeToExpire: 59, isBlocked: true, timeToBlockExpire: 10 },
    });
    expect(hitWindow(full, 10 * MINUTE + 1000, MINUTE, 5, 0).window.blockedUntil).toBe(11 * MINUTE + 1000);
  });

  it('leaves the window it is given as it was', () => {
    const window = Object.freeze({ start: 10 * MINUTE, current: 1, previous: 0, blockedUntil: 0 });
    expect(() => hitWindow(window, 10 * MINUTE + 1, MINUTE, 5, MINUTE)).not.toThrow();
    expect(window.current).toBe(1);
  });
});
