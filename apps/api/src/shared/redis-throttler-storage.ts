import { OnApplicationShutdown } from '@nestjs/common';
import { ThrottlerStorage } from '@nestjs/throttler';
import IORedis, { Redis } from 'ioredis';
import { ThrottlerStorageRecord, WindowThrottlerStorage } from './window-throttler-storage';

/**
 * hitWindow (window-throttler-storage.ts), step for step, on a hash in Redis, for a lease of up to
 * `want` hits at once: read, slide, count, write and set the expiry in one script, so concurrent
 * requests on several api processes never read the same count, and a lease costs one round trip
 * (EVALSHA). The lease is granted as hitWindow would let that many requests by one after another
 * (at least one, at most what the limit leaves), and counted at once; `unused` hits of an earlier
 * lease taken in the window starting at `unusedStart` are first taken back (from the current
 * window, or the previous one if it has since slid). `want` 0 only takes them back.
 *
 * ARGV: ttl, limit, blockDuration (ms), want, unused, unusedStart, and the time in ms, or nothing
 * to take Redis's clock (TIME): every process then slides the same windows, whatever their own
 * clocks say. The key outlives its use by nothing: it expires when its window can no longer count
 * (two windows after its start) or its block ends, whichever is later.
 *
 * Answers: the first granted hit's total, seconds to the window's end, blocked (1/0), seconds to
 * the block's end, hits granted, and ms to the window's end.
 */
const HIT_WINDOW_LUA = `
local ttl = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local blockDuration = tonumber(ARGV[3])
local want = tonumber(ARGV[4])
local unused = tonumber(ARGV[5])
local unusedStart = tonumber(ARGV[6])
local now = tonumber(ARGV[7])
if now == nil then
  local time = redis.call('TIME')
  now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
end
local start = now - (now % ttl)
local stored = redis.call('HMGET', KEYS[1], 'start', 'current', 'previous', 'blockedUntil')
local windowStart = tonumber(stored[1])
local current = tonumber(stored[2]) or 0
local previous = tonumber(stored[3]) or 0
local blockedUntil = tonumber(stored[4]) or 0
if windowStart == nil then
  current, previous, blockedUntil = 0, 0, 0
elseif windowStart ~= start then
  if windowStart == start - ttl then previous = current else previous = 0 end
  current = 0
end
if unused > 0 and windowStart ~= nil then
  if unusedStart == start then current = math.max(0, current - unused)
  elseif unusedStart == start - ttl then previous = math.max(0, previous - unused) end
end
local timeToExpire = math.ceil((start + ttl - now) / 1000)
local rate = math.floor(previous * (1 - (now - start) / ttl)) + current
local granted = 0
if want > 0 then
  if blockedUntil <= now and rate + 1 > limit then
    if blockDuration > 0 then blockedUntil = now + blockDuration else blockedUntil = now + ttl end
  end
  if blockedUntil <= now then
    granted = math.max(1, math.min(want, limit - rate))
    current = current + granted
  end
end
redis.call('HSET', KEYS[1], 'start', string.format('%.0f', start), 'current', string.format('%.0f', current),
  'previous', string.format('%.0f', previous), 'blockedUntil', string.format('%.0f', blockedUntil))
redis.call('PEXPIRE', KEYS[1], string.format('%.0f', math.max(start + 2 * ttl, blockedUntil) - now))
if want > 0 and granted == 0 then
  return { rate + 1, timeToExpire, 1, math.ceil((blockedUntil - now) / 1000), 0, start + ttl - now, start }
end
return { rate + 1, timeToExpire, 0, 0, granted, start + ttl - now, start }
`;

type HitWindowCommand = (
  key: string,
  ttl: number,
  limit: number,
  blockDuration: number,
  want: number,
  unused: number,
  unusedStart: number,
  ...now: number[]
) => Promise<[number, number, number, number, number, number, number]>;

/**
 * Hits this process took from Redis for one client and admits by itself, one request after
 * another: a busy caller costs one round trip per lease instead of one per request.
 */
interface Lease {
  /** The window (Redis's start, in its clock, and its length) the hits were counted in. */
  readonly windowStart: number;
  readonly ttl: number;
  /** The hits asked for: the next lease's size is reckoned from it. */
  readonly size: number;
  /** The client's total before the lease, then the hits of the lease used so far. */
  readonly before: number;
  readonly granted: number;
  used: number;
  /** When it was granted and when it stops being used (performance.now()), and the window's end on the storage's clock. */
  readonly grantedAt: number;
  readonly expiresAt: number;
  readonly windowEndsAt: number;
}

/** How long a lease's hits may be used: past it, what is left goes back to Redis. */
const LEASE_MS = 100;
/**
 * A lease holds at most this share of the limit: the hits one process holds unused are the most
 * another may refuse too early (before they go back), and under 1/LEASE_SHARE a lease is one hit,
 * so a limit under 100 a minute is counted exactly, request by request, across processes.
 */
const LEASE_SHARE = 100;

/**
 * One hit at first (or after the sweep forgot the last lease); twice the last size when that lease
 * ran out within half its time, half when it expired unused; at most 1/LEASE_SHARE of the limit.
 */
function nextLeaseSize(last: Lease | undefined, limit: number): number {
  const most = Math.max(1, Math.floor(limit / LEASE_SHARE));
  let next = last?.size ?? 1;
  if (last && last.used === last.granted && performance.now() - last.grantedAt < LEASE_MS / 2) next *= 2;
  else if (last && last.used < last.granted) next = Math.floor(next / 2);
  return Math.min(most, Math.max(1, next));
}

/** Warnings about Redis are said once a minute at most: an outage is not a line per request. */
const WARN_EVERY_MS = 60_000;

export interface RedisThrottlerStorageOptions {
  /** Where requests are counted while Redis cannot answer (this process's memory by default). */
  readonly fallback?: ThrottlerStorage;
  /** The clock the windows slide on; Redis's own (TIME) unless given (tests). */
  readonly now?: () => number;
  /** Told, once a minute at most, that Redis did not answer and the fallback counted. */
  readonly warn?: (message: string) => void;
}

/**
 * The rate limit shared by every api process: each client's window is a hash in Redis, under the
 * instance's REDIS_PREFIX (`<prefix>:throttle:<throttler>:<key>`; the key is the guard's hash of
 * the caller and route, no address or name in clear), so a caller over the limit on one process is
 * refused on the others.
 *
 * A busy caller's requests are counted in Redis by leases: a process takes several hits at once
 * (counted then) and admits that many requests of the caller by itself for up to LEASE_MS, then
 * gives back what it did not use. Measured under the bench's commands, a round trip to Redis per
 * request was a tenth of the api's CPU (the socket write alone, 7.7 %). Nobody gets by over the
 * limit: every hit admitted was counted first. What a lease holds unused may make another process
 * refuse a caller a little early (at most 1/LEASE_SHARE of the limit per process, for LEASE_MS);
 * a caller that comes seldom, or under a limit below LEASE_SHARE, is counted request by request.
 *
 * When Redis cannot answer (down, unreachable, slower than its command timeout), the request is
 * counted by this process alone (`fallback`) rather than failed: the limiter guards the service,
 * and its store being down must not make every request fail. Meanwhile each process holds the
 * limit on its own, so a caller spread over N processes may make up to N times the limit; the
 * shared count resumes when Redis answers again. The embedded mode without Redis (`npm start`, no
 * REDIS_URL, nothing on 127.0.0.1:6379) is this case for good: one process, counted in its memory.
 */
export class RedisThrottlerStorage implements ThrottlerStorage, OnApplicationShutdown {
  private readonly fallback: ThrottlerStorage;
  private readonly hitWindow: HitWindowCommand;
  private readonly clock: () => number;
  /** Each client's current lease, until it has expired and its unused hits went back (the sweep). */
  private readonly leases = new Map<string, Lease>();
  /** A lease being asked for, per client: the requests meanwhile wait for it rather than ask again. */
  private readonly asking = new Map<string, Promise<unknown>>();
  private readonly sweeper: NodeJS.Timeout;
  private warnedAt = -Infinity;
  private closed = false;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly options: RedisThrottlerStorageOptions = {},
  ) {
    this.fallback = options.fallback ?? new WindowThrottlerStorage();
    this.clock = options.now ?? (() => performance.now());
    redis.defineCommand('jalonHitWindow', { numberOfKeys: 1, lua: HIT_WINDOW_LUA });
    this.hitWindow = (redis as unknown as { jalonHitWindow: HitWindowCommand }).jalonHitWindow.bind(redis);
    // ioredis reports each failed reconnection as an error event: without a listener, a multi-line print each time.
    redis.on('error', (error: Error) => this.unavailable(error));
    this.sweeper = setInterval(() => void this.giveBack('expired'), 10 * LEASE_MS);
    this.sweeper.unref();
  }

  /** The Redis key of one client's window. */
  keyOf(key: string, throttlerName: string): string {
    return `${this.prefix}:throttle:${throttlerName}:${key}`;
  }

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    const redisKey = this.keyOf(key, throttlerName);
    for (;;) {
      const lease = this.leases.get(redisKey);
      if (lease && lease.used < lease.granted && this.usable(lease)) {
        lease.used += 1;
        return {
          totalHits: lease.before + lease.used,
          timeToExpire: Math.ceil((lease.windowEndsAt - this.clock()) / 1000),
          isBlocked: false,
          timeToBlockExpire: 0,
        };
      }
      const asked = this.asking.get(redisKey);
      if (!asked) break;
      await asked.catch(() => undefined);
    }
    // Not connected: no command is sent (the connection queues none), the request is counted here at once.
    if (this.redis.status !== 'ready') return this.fallback.increment(key, ttl, limit, blockDuration, throttlerName);
    const asking = this.lease(redisKey, ttl, limit, blockDuration);
    this.asking.set(redisKey, asking);
    try {
      return await asking;
    } catch (error) {
      this.unavailable(error as Error);
      return this.fallback.increment(key, ttl, limit, blockDuration, throttlerName);
    } finally {
      this.asking.delete(redisKey);
    }
  }

  /** Asks Redis for the next lease of a client (giving back what the last one left), and uses its first hit. */
  private async lease(redisKey: string, ttl: number, limit: number, blockDuration: number): Promise<ThrottlerStorageRecord> {
    const last = this.leases.get(redisKey);
    const unused = last ? last.granted - last.used : 0;
    const want = nextLeaseSize(last, limit);
    this.leases.delete(redisKey);
    const now = this.options.now ? [this.options.now()] : [];
    const [totalHits, timeToExpire, blocked, timeToBlockExpire, granted, msToWindowEnd, windowStart] = await this.hitWindow(
      redisKey,
      ttl,
      limit,
      blockDuration,
      want,
      unused,
      last?.windowStart ?? 0,
      ...now,
    );
    if (blocked === 1) return { totalHits, timeToExpire, isBlocked: true, timeToBlockExpire };
    const grantedAt = performance.now();
    // Kept even when used up at once (one hit): when the next request comes tells the next lease's size.
    this.leases.set(redisKey, {
      windowStart,
      ttl,
      size: want,
      before: totalHits - 1,
      granted,
      used: 1,
      grantedAt,
      expiresAt: grantedAt + LEASE_MS,
      windowEndsAt: this.clock() + msToWindowEnd,
    });
    return { totalHits, timeToExpire, isBlocked: false, timeToBlockExpire: 0 };
  }

  private usable(lease: Lease): boolean {
    return performance.now() < lease.expiresAt && this.clock() < lease.windowEndsAt;
  }

  /** Leases past their time (or all, at shutdown) give their unused hits back: a client that stopped must not stay counted for them. */
  private async giveBack(which: 'expired' | 'all'): Promise<void> {
    for (const [redisKey, lease] of this.leases) {
      if ((which === 'expired' && this.usable(lease)) || this.asking.has(redisKey)) continue;
      this.leases.delete(redisKey);
      const unused = lease.granted - lease.used;
      if (unused === 0 || this.redis.status !== 'ready') continue;
      const now = this.options.now ? [this.options.now()] : [];
      // A give-back (want 0) neither counts nor blocks: the limit does not matter.
      await this.hitWindow(redisKey, lease.ttl, 1, 0, 0, unused, lease.windowStart, ...now).catch(() => undefined);
    }
  }

  private unavailable(error: Error): void {
    if (this.closed || Date.now() - this.warnedAt < WARN_EVERY_MS) return;
    this.warnedAt = Date.now();
    this.options.warn?.(`the rate limit's Redis does not answer (${error.message}): each api process counts its callers alone until it does`);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.closed) return;
    clearInterval(this.sweeper);
    // What this process held unused goes back, for the processes that stay.
    await this.giveBack('all');
    this.closed = true;
    // Quit when connected (a bounded wait: the command times out); otherwise just stop reconnecting.
    if (this.redis.status === 'ready') await this.redis.quit().catch(() => undefined);
    this.redis.disconnect();
  }
}

/**
 * The api's rate-limit storage on REDIS_URL under REDIS_PREFIX, on a connection of its own: the
 * runtime's connection (BullMQ's) queues commands while Redis is away and retries them without end,
 * where a request must never wait on its limiter. This one queues nothing (a command while
 * disconnected fails at once), gives up a command after a second, and reconnects in the background.
 */
export function sharedThrottlerStorage(settings: { readonly url: string; readonly prefix: string }, warn: (message: string) => void): RedisThrottlerStorage {
  const redis = new IORedis(settings.url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: 1000,
    // Named for an operator's CLIENT LIST (a name takes no spaces).
    connectionName: `${settings.prefix}:throttle`.replace(/[^\w.:-]/g, '_'),
  });
  return new RedisThrottlerStorage(redis, settings.prefix, { warn });
}
