import { ThrottlerStorage } from '@nestjs/throttler';

/** What the guard reads of an increment (@nestjs/throttler's ThrottlerStorageRecord, not exported). */
type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/** One client's counts under one throttler: this fixed window's, the previous one's, and any block. */
interface Window {
  start: number;
  current: number;
  previous: number;
  blockedUntil: number;
}

/**
 * Rate limits by sliding-window counter: a client's rate is the hits of the current window plus
 * the previous window's, weighted by how much of it still overlaps the last `ttl`. Constant work
 * and memory per client. @nestjs/throttler's default storage keeps the expiry of every hit and
 * filters that list on every request: its cost per request grows with the limit (tens of
 * thousands of entries for a client allowed that many per minute).
 *
 * Blocked requests are not counted; a block lasts `blockDuration`. Clients idle for two windows
 * are forgotten, in a sweep run at most once per window.
 */
export class WindowThrottlerStorage implements ThrottlerStorage {
  private readonly windows = new Map<string, Window>();
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
    const start = now - (now % ttl);
    let window = this.windows.get(id);
    if (!window) {
      window = { start, current: 0, previous: 0, blockedUntil: 0 };
      this.windows.set(id, window);
    } else if (window.start !== start) {
      window.previous = window.start === start - ttl ? window.current : 0;
      window.current = 0;
      window.start = start;
    }
    const timeToExpire = Math.ceil((start + ttl - now) / 1000);
    const rate = () => Math.floor(window.previous * (1 - (now - start) / ttl)) + window.current;
    if (window.blockedUntil <= now && rate() + 1 > limit) window.blockedUntil = now + (blockDuration > 0 ? blockDuration : ttl);
    if (window.blockedUntil > now) {
      return { totalHits: rate() + 1, timeToExpire, isBlocked: true, timeToBlockExpire: Math.ceil((window.blockedUntil - now) / 1000) };
    }
    window.current++;
    return { totalHits: rate(), timeToExpire, isBlocked: false, timeToBlockExpire: 0 };
  }

  private sweep(now: number, ttl: number): void {
    if (now - this.lastSweep < ttl) return;
    this.lastSweep = now;
    for (const [id, window] of this.windows) {
      if (window.start < now - 2 * ttl && window.blockedUntil <= now) this.windows.delete(id);
    }
  }
}
