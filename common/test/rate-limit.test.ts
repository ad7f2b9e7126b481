import { randomUUID } from 'node:crypto';
import { captureLogger, infraUrl } from '@gittix/testing';
import { Redis } from 'ioredis';
import { clientKey, connectRedis, RateLimiter, type RateLimitRule } from '../src/http';

const rule = (limit: number, windowMs = 60_000): RateLimitRule => ({
  name: `test-${randomUUID()}`,
  limit,
  windowMs,
  message: 'Slow down',
});

async function ready(redis: Redis): Promise<Redis> {
  if (redis.status !== 'ready') await new Promise((resolve) => redis.once('ready', resolve));
  return redis;
}

describe('RateLimiter on Redis', () => {
  const logs = captureLogger('common');
  let redis: Redis;
  beforeAll(async () => {
    redis = await ready(connectRedis(infraUrl('redis'), logs.logger));
  });
  afterAll(() => redis.disconnect());

  it('when two replicas share one Redis, then the limit holds across both: 50 concurrent hits against a limit of 10 admit exactly 10', async () => {
    const r = rule(10);
    const a = new RateLimiter({ redis, prefix: 'svc', logger: logs.logger });
    const second = await ready(connectRedis(infraUrl('redis'), logs.logger));
    const b = new RateLimiter({ redis: second, prefix: 'svc', logger: logs.logger });

    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 ? a : b).hit(r, 'buyer-1')));

    expect(results.filter((x) => x.allowed)).toHaveLength(10);
    second.disconnect();
  });

  it('when a hit is taken back, then it no longer counts; and the counter expires with its window', async () => {
    const r = rule(2, 1000);
    const limiter = new RateLimiter({ redis, prefix: 'svc', logger: logs.logger });
    await limiter.hit(r, 'k');
    await limiter.hit(r, 'k');
    await limiter.undo(r, 'k');

    expect((await limiter.hit(r, 'k')).allowed).toBe(true);
    expect((await limiter.hit(r, 'k')).allowed).toBe(false);
    const keys = await redis.keys(`gittix:rl:svc:${r.name}:k:*`);
    expect(keys).toHaveLength(1);
    expect(await redis.pttl(keys[0] ?? '')).toBeGreaterThan(0);
  });

  it('when past the limit, then enforce throws a 429 whose Retry-After is the rest of the window', async () => {
    const r = rule(1, 600_000);
    const limiter = new RateLimiter({ redis, prefix: 'svc', logger: logs.logger });
    await limiter.enforce(r, 'k');

    const refused = await limiter.enforce(r, 'k').catch((err: unknown) => err);

    expect(refused).toMatchObject({ statusCode: 429, message: 'Slow down' });
    const retryAfter = (refused as { retryAfterSeconds: number }).retryAfterSeconds;
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(600);
  });

  it('when Redis goes away, then the limiter counts in the process instead of failing, and says so once', async () => {
    const r = rule(3);
    const local = captureLogger('common');
    const doomed = await ready(connectRedis(infraUrl('redis'), local.logger));
    const limiter = new RateLimiter({ redis: doomed, prefix: 'svc', logger: local.logger });
    doomed.disconnect();

    const results = await Promise.all(Array.from({ length: 5 }, () => limiter.hit(r, 'k')));

    expect(results.map((x) => x.allowed)).toEqual([true, true, true, false, false]);
    expect(local.lines().filter((l) => /counting in this process/.test(l.msg ?? ''))).toHaveLength(1);
  });
});

describe('clientKey', () => {
  it.each([
    ['203.0.113.9', '203.0.113.9'],
    ['::ffff:203.0.113.9', '203.0.113.9'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::7', '2001:db8:1:2::/64'],
    ['2001:0DB8:0001:0002::1', '2001:db8:1:2::/64'],
    ['::1', '0:0:0:0::/64'],
    [undefined, 'unknown'],
  ])('%s counts as %s', (address, key) => {
    expect(clientKey(address)).toBe(key);
  });
});
