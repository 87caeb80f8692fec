import { OnApplicationShutdown } from '@nestjs/common';
import { ThrottlerStorage } from '@nestjs/throttler';
import IORedis, { Redis } from 'ioredis';
import { ThrottlerStorageRecord, WindowThrottlerStorage } from './window-throttler-storage';

/**
 * hitWindow (window-throttler-storage.ts), step for step, on a hash in Redis: read, slide, count,
 * write and set the expiry in one script, so concurrent requests on several api processes never
 * read the same count, and a request costs one round trip (EVALSHA). ARGV: ttl, limit,
 * blockDuration (ms), and the time in ms, or nothing to take Redis's clock (TIME): every process
 * then slides the same windows, whatever their own clocks say. The key outlives its use by
 * nothing: it expires when its window can no longer count (two windows after its start) or its
 * block ends, whichever is later.
 */
const HIT_WINDOW_LUA = `
local ttl = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local blockDuration = tonumber(ARGV[3])
local now = tonumber(ARGV[4])
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
local timeToExpire = math.ceil((start + ttl - now) / 1000)
local rate = math.floor(previous * (1 - (now - start) / ttl)) + current
if blockedUntil <= now and rate + 1 > limit then
  if blockDuration > 0 then blockedUntil = now + blockDuration else blockedUntil = now + ttl end
end
local blocked = blockedUntil > now
if not blocked then current = current + 1 end
redis.call('HSET', KEYS[1], 'start', string.format('%.0f', start), 'current', string.format('%.0f', current),
  'previous', string.format('%.0f', previous), 'blockedUntil', string.format('%.0f', blockedUntil))
redis.call('PEXPIRE', KEYS[1], string.format('%.0f', math.max(start + 2 * ttl, blockedUntil) - now))
if blocked then
  return { rate + 1, timeToExpire, 1, math.ceil((blockedUntil - now) / 1000) }
end
return { rate + 1, timeToExpire, 0, 0 }
`;

type HitWindowCommand = (key: string, ttl: number, limit: number, blockDuration: number, ...now: number[]) => Promise<[number, number, number, number]>;

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
  private warnedAt = -Infinity;
  private closed = false;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly options: RedisThrottlerStorageOptions = {},
  ) {
    this.fallback = options.fallback ?? new WindowThrottlerStorage();
    redis.defineCommand('jalonHitWindow', { numberOfKeys: 1, lua: HIT_WINDOW_LUA });
    this.hitWindow = (redis as unknown as { jalonHitWindow: HitWindowCommand }).jalonHitWindow.bind(redis);
    // ioredis reports each failed reconnection as an error event: without a listener, a multi-line print each time.
    redis.on('error', (error: Error) => this.unavailable(error));
  }

  /** The Redis key of one client's window. */
  keyOf(key: string, throttlerName: string): string {
    return `${this.prefix}:throttle:${throttlerName}:${key}`;
  }

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    // Not connected: no command is sent (the connection queues none), the request is counted here at once.
    if (this.redis.status !== 'ready') return this.fallback.increment(key, ttl, limit, blockDuration, throttlerName);
    try {
      const now = this.options.now ? [this.options.now()] : [];
      const [totalHits, timeToExpire, blocked, timeToBlockExpire] = await this.hitWindow(this.keyOf(key, throttlerName), ttl, limit, blockDuration, ...now);
      return { totalHits, timeToExpire, isBlocked: blocked === 1, timeToBlockExpire };
    } catch (error) {
      this.unavailable(error as Error);
      return this.fallback.increment(key, ttl, limit, blockDuration, throttlerName);
    }
  }

  private unavailable(error: Error): void {
    if (this.closed || Date.now() - this.warnedAt < WARN_EVERY_MS) return;
    this.warnedAt = Date.now();
    this.options.warn?.(`the rate limit's Redis does not answer (${error.message}): each api process counts its callers alone until it does`);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.closed) return;
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
