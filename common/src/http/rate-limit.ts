import { isIPv6 } from 'node:net';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { TooManyRequestsError } from '../core/errors';
import type { ServiceContext } from '../service/start-service';
import { connectRedis } from './redis';

/** One limit: at most `limit` counted hits per key in each fixed window of `windowMs`. */
export interface RateLimitRule {
  /** Part of the counter's key: `failed-signin-account`, `orders-per-buyer` … */
  name: string;
  limit: number;
  windowMs: number;
  /** The 429's message. */
  message: string;
}

export interface RateLimitResult {
  allowed: boolean;
  /** Hits counted in this window, this one included. */
  count: number;
  /** Seconds until the window ends (the 429's Retry-After). */
  retryAfterSeconds: number;
}

/**
 * Fixed-window counters. With Redis, the counters are shared by every replica
 * of a service (INCR is atomic), so a limit holds across the cluster; without
 * it, or while Redis cannot be reached, each process counts on its own, so the
 * limits still hold per process rather than not at all. Which limits live here
 * and why: docs/decisions/0031-abuse-limits-and-sessions.md.
 */
export class RateLimiter {
  private readonly local = new Map<string, { count: number; expiresAt: number }>();
  private lastWarning = 0;

  constructor(
    private readonly options: {
      /** The counters' Redis; undefined: counters in this process only. */
      redis?: Redis;
      /** Namespaces the keys: the service's name. */
      prefix: string;
      logger: Logger;
      now?: () => number;
    },
  ) {}

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  private window(rule: RateLimitRule, key: string): { counter: string; endsAt: number } {
    const index = Math.floor(this.now() / rule.windowMs);
    return {
      counter: `gittix:rl:${this.options.prefix}:${rule.name}:${key}:${index}`,
      endsAt: (index + 1) * rule.windowMs,
    };
  }

  /** Counts a hit and tells whether it is within the limit. */
  async hit(rule: RateLimitRule, key: string): Promise<RateLimitResult> {
    const { counter, endsAt } = this.window(rule, key);
    const count = await this.add(counter, 1, endsAt);
    return {
      allowed: count <= rule.limit,
      count,
      retryAfterSeconds: Math.max(1, Math.ceil((endsAt - this.now()) / 1000)),
    };
  }

  /** Takes back a hit that should not count (a sign-in that succeeded, an order that was refused). */
  async undo(rule: RateLimitRule, key: string): Promise<void> {
    const { counter, endsAt } = this.window(rule, key);
    await this.add(counter, -1, endsAt);
  }

  /** Counts a hit, and throws a 429 (with Retry-After) past the limit. */
  async enforce(rule: RateLimitRule, key: string): Promise<void> {
    const result = await this.hit(rule, key);
    if (!result.allowed) throw new TooManyRequestsError(rule.message, result.retryAfterSeconds);
  }

  private async add(counter: string, by: number, endsAt: number): Promise<number> {
    const redis = this.options.redis;
    if (redis && redis.status === 'ready') {
      try {
        const results = await redis
          .multi()
          .incrby(counter, by)
          .pexpireat(counter, endsAt + 1000)
          .exec();
        const [error, value] = results?.[0] ?? [null, null];
        if (!error && typeof value === 'number') return value;
      } catch (err) {
        this.warn(err);
      }
    } else if (redis) {
      this.warn(new Error(`Redis is ${redis.status}`));
    }
    return this.addLocally(counter, by, endsAt);
  }

  private addLocally(counter: string, by: number, endsAt: number): number {
    const now = this.now();
    if (this.local.size > 100_000) {
      for (const [key, entry] of this.local) if (entry.expiresAt <= now) this.local.delete(key);
    }
    const entry = this.local.get(counter);
    const count = Math.max(0, (entry && entry.expiresAt > now ? entry.count : 0) + by);
    this.local.set(counter, { count, expiresAt: endsAt });
    return count;
  }

  private warn(err: unknown): void {
    if (this.now() - this.lastWarning < 60_000) return;
    this.lastWarning = this.now();
    this.options.logger.warn({ err }, 'rate limit counters unavailable in Redis; counting in this process');
  }
}

/**
 * The key a client address is counted under: an IPv4 address as it is, an
 * IPv6 address by its /64 prefix (one home or host usually holds a whole /64,
 * so counting single addresses would give each client billions of tries).
 */
export function clientKey(address: string | undefined): string {
  if (!address) return 'unknown';
  const v4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (v4) return v4;
  if (!isIPv6(address)) return address;
  const [head = '', tail = ''] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = address.includes('::')
    ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.toLowerCase().replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/** How long a start waits for the counters' Redis before counting in the process meanwhile. */
const redisStartWaitMs = 2000;

/**
 * The rate limiter of a service, as part of its start: its counters in the
 * Redis of REDIS_URL (shared by every replica), or in the process when it is
 * unset; keys are namespaced by the service's name. The start waits a moment
 * for Redis, so the first requests are not counted apart from the rest; a
 * Redis that is down does not stop the start. Disconnected at stop.
 */
export async function openRateLimiter(
  ctx: ServiceContext<{ rateLimitRedisUrl: string | undefined }>,
): Promise<RateLimiter> {
  const url = ctx.config.rateLimitRedisUrl;
  const redis = url === undefined ? undefined : connectRedis(url, ctx.logger);
  if (redis) {
    ctx.onStop(() => redis.disconnect());
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, redisStartWaitMs);
      redis.once('ready', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
  return new RateLimiter({ redis, prefix: ctx.name, logger: ctx.logger });
}
