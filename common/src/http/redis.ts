import { Redis } from 'ioredis';
import type { Logger } from 'pino';

/**
 * A Redis connection for counters that may be missed briefly: commands fail
 * at once while it is down (no offline queue), so a caller falls back instead
 * of waiting, and it reconnects on its own with backoff. Errors are logged,
 * never thrown at the process.
 */
export function connectRedis(url: string, logger: Logger): Redis {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    retryStrategy: (times) => Math.min(times * 200, 5000),
  });
  let down = false;
  redis.on('error', (err: Error) => {
    if (!down) logger.warn({ err: err.message }, 'Redis unavailable; retrying');
    down = true;
  });
  redis.on('ready', () => {
    if (down) logger.info('Redis connected again');
    down = false;
  });
  return redis;
}
