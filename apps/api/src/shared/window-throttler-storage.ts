import { ThrottlerStorage } from '@nestjs/throttler';

/** What the guard reads of an increment (@nestjs/throttler's ThrottlerStorageRecord, not exported). */
export type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/** One client's counts under one throttler: this fixed window's, the previous one's, and any block. */
export interface ThrottleWindow {
  readonly start: number;
  readonly current: number;
  readonly previous: number;
  readonly blockedUntil: number;
}

/**
 * One request of a client, by sliding-window counter: its rate is the hits of the current window
 * plus the previous window's, weighted by how much of it still overlaps the last `ttl`. Constant
 * work and memory per client. Blocked requests are not counted; a block lasts `blockDuration`
 * (a window when 0). Returns the client's window after the request, and what the guard reads.
 *
 * The in-memory storage below runs this; RedisThrottlerStorage runs the same steps in Lua, in
 * Redis, so that every api process counts against one window (the two are held to the same
 * behaviour by throttler-storage-contract.ts).
 */
export function hitWindow(
  window: ThrottleWindow | undefined,
  now: number,
  ttl: number,
  limit: number,
  blockDuration: number,
): { window: ThrottleWindow; record: ThrottlerStorageRecord } {
  const start = now - (now % ttl);
  let { current, previous, blockedUntil } = window ?? { current: 0, previous: 0, blockedUntil: 0 };
  if (window && window.start !== start) {
    // The window that just ended becomes the previous one; one older than that counts for nothing.
    previous = window.start === start - ttl ? window.current : 0;
    current = 0;
  }
  const timeToExpire = Math.ceil((start + ttl - now) / 1000);
  const rate = Math.floor(previous * (1 - (now - start) / ttl)) + current;
  if (blockedUntil <= now && rate + 1 > limit) blockedUntil = now + (blockDuration > 0 ? blockDuration : ttl);
  if (blockedUntil > now) {
    return {
      window: { start, current, previous, blockedUntil },
      record: { totalHits: rate + 1, timeToExpire, isBlocked: true, timeToBlockExpire: Math.ceil((blockedUntil - now) / 1000) },
    };
  }
  return {
    window: { start, current: current + 1, previous, blockedUntil },
    record: { totalHits: rate + 1, timeToExpire, isBlocked: false, timeToBlockExpire: 0 },
  };
}

/**
 * Rate limits by sliding-window counter (hitWindow), in this process's memory: the storage of an
 * api with no Redis to share, and the one an api falls back to while its Redis is unreachable.
 * @nestjs/throttler's default storage keeps the expiry of every hit and filters that list on every
 * request: its cost per request grows with the limit (tens of thousands of entries for a client
 * allowed that many per minute).
 *
 * Clients idle for two windows are forgotten, in a sweep run at most once per window.
 */
export class WindowThrottlerStorage implements ThrottlerStorage {
  private readonly windows = new Map<string, ThrottleWindow>();
  private lastSweep: number;

  constructor(private readonly now: () => number = Date.now) {
    this.lastSweep = now();
  }

  /** Clients currently remembered (for tests). */
  get size(): number {
    return this.windows.size;
  }

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    const now = this.now();
    this.sweep(now, ttl);
    const id = `${throttlerName}\n${key}`;
    const { window, record } = hitWindow(this.windows.get(id), now, ttl, limit, blockDuration);
    this.windows.set(id, window);
    return record;
  }

  private sweep(now: number, ttl: number): void {
    if (now - this.lastSweep < ttl) return;
    this.lastSweep = now;
    for (const [id, window] of this.windows) {
      if (window.start < now - 2 * ttl && window.blockedUntil <= now) this.windows.delete(id);
    }
  }
}
