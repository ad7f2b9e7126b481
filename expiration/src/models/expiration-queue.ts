import type { Logger } from '@gittix/common/core';
import Bull from 'bull';

/**
 * Where the expiration service keeps its state: a Bull queue in Redis, one
 * delayed job per open order, keyed by the order id (its "model", as the
 * other services have mongoose models).
 */
export const expirationQueueName = 'order:expiration';

export interface ExpirationJobData {
  orderId: string;
}

export type ExpirationQueue = Bull.Queue<ExpirationJobData>;

/** Name of the retry strategy registered on the queue (see {@link retryDelayMs}). */
export const retryBackoffType = 'capped-exponential';

/**
 * Attempts before a job is given up. With {@link retryDelayMs} that is about
 * eight hours of a broken bus, long enough for someone on call to notice the
 * `expiration job failed` errors and mend NATS.
 */
export const maxAttempts = 1000;

/** Delay before retry `attemptsMade` of a job whose publish failed: 200 ms doubling, capped at 30 s. */
export function retryDelayMs(attemptsMade: number): number {
  return Math.min(200 * 2 ** Math.max(0, attemptsMade - 1), 30_000);
}

export interface ExpirationQueueOptions {
  /** Redis key prefix (Bull's default `bull`); tests give each queue its own so they never share jobs. */
  prefix?: string;
  /**
   * How often Bull re-reads the delayed set when nothing told it to. Bull wakes
   * up for the next due job through a timer it arms from a Redis pub/sub
   * notification; if that notification is missed (another replica added the
   * job during a reconnect, a restart), only this guard finds the job. Bull's
   * default of 5 s would break the 2 s p99 promise (docs/architecture.md); 500 ms keeps
   * even that case well inside it for one cheap Lua call per interval.
   */
  guardIntervalMs?: number;
}

/** Creates the queue on `REDIS_URL` (nothing connects until it is used). */
export function createExpirationQueue(redisUrl: string, options: ExpirationQueueOptions = {}): ExpirationQueue {
  return new Bull<ExpirationJobData>(expirationQueueName, redisUrl, {
    prefix: options.prefix ?? 'bull',
    settings: {
      guardInterval: options.guardIntervalMs ?? 500,
      // A job only publishes one event. A short lock means a job left active by
      // a crashed process is picked up again seconds, not a minute, later
      // (the lock is renewed while a slow publish is still running).
      lockDuration: 10_000,
      stalledInterval: 5_000,
      // Every crash while a job runs counts as a stall; do not give up on an
      // order because its process was restarted a few times.
      maxStalledCount: 10,
      backoffStrategies: { [retryBackoffType]: (attemptsMade: number) => retryDelayMs(attemptsMade) },
    },
  });
}

/** Bull reads a job's creation `timestamp` from its options, though its typings leave it out. */
export type ExpirationJobOptions = Bull.JobOptions & { timestamp: number; delay: number };

/** The options of an order's job: due at `dueAt`, retried on failure, gone once done. */
export function expirationJobOptions(orderId: string, dueAt: number, now: number): ExpirationJobOptions {
  return {
    // One job per order: a redelivered order:created finds this id and adds nothing.
    jobId: orderId,
    // Bull fires at timestamp + delay; giving it our `now` makes that exactly dueAt.
    timestamp: now,
    delay: Math.max(0, dueAt - now),
    removeOnComplete: true,
    // A job that used every attempt stays in the failed set for inspection.
    removeOnFail: false,
    attempts: maxAttempts,
    backoff: { type: retryBackoffType },
  };
}

/** True while the queue's Redis command connection is up (for `/readyz`). */
export function isQueueConnected(queue: ExpirationQueue): boolean {
  return queue.client.status === 'ready';
}

/** Resolves once the queue's Redis connections are ready; rejects with a clear message after `timeoutMs`. */
export async function waitForQueue(queue: ExpirationQueue, redisUrl: string, timeoutMs = 30_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new Error(`could not connect to Redis at ${redactUrl(redisUrl)} within ${timeoutMs / 1000} s`)),
      timeoutMs,
    );
  });
  try {
    await Promise.race([queue.isReady(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** A lost or refused Redis connection (ioredis reports each reconnect attempt), not a failing command. */
function isConnectionError(err: Error): boolean {
  const code = (err as { code?: unknown }).code;
  return (
    (typeof code === 'string' && /^E[A-Z]+$/.test(code)) ||
    err.name === 'MaxRetriesPerRequestError' ||
    err.message === 'Connection is closed.'
  );
}

/** While Redis stays away, how often the count so far is logged again. */
const outageSummaryMs = 60_000;

/**
 * Logs what the queue reports: Redis errors and failed attempts (each one is
 * retried until the last). A Redis outage is one error when it starts, one
 * line a minute while it lasts and one when the queue is connected again, with
 * how long it lasted and how many errors were counted: each of Bull's three
 * connections reports every reconnect attempt, several a second.
 */
export function logQueueEvents(queue: ExpirationQueue, logger: Logger): void {
  let outage: { since: number; errors: number; summarisedAt: number } | undefined;
  queue.on('error', (err: Error) => {
    if (!isConnectionError(err)) {
      logger.error({ err }, 'expiration queue error');
      return;
    }
    const now = Date.now();
    if (!outage) {
      outage = { since: now, errors: 1, summarisedAt: now };
      logger.error({ err }, 'expiration queue lost Redis; retrying');
      return;
    }
    outage.errors += 1;
    if (now - outage.summarisedAt >= outageSummaryMs) {
      outage.summarisedAt = now;
      logger.error(
        { err, downForMs: now - outage.since, errors: outage.errors },
        'expiration queue still without Redis',
      );
    }
  });
  queue.client.on('ready', () => {
    if (!outage) return;
    logger.info(
      { downForMs: Date.now() - outage.since, errors: outage.errors },
      'expiration queue reconnected to Redis',
    );
    outage = undefined;
  });
  queue.on('failed', (job: Bull.Job<ExpirationJobData>, err: Error) => {
    const attempts = job.opts.attempts ?? 1;
    const context = { err, orderId: job.data.orderId, attemptsMade: job.attemptsMade, attempts };
    if (job.attemptsMade >= attempts)
      logger.error(context, 'expiration job failed for good; the order will not expire by itself');
    else
      logger.warn(
        { ...context, retryInMs: retryDelayMs(job.attemptsMade) },
        'expiration job failed; Bull will retry it',
      );
  });
  queue.on('stalled', (job: Bull.Job<ExpirationJobData>) =>
    logger.warn(
      { orderId: job.data.orderId },
      'expiration job stalled (its process died while running it); it runs again',
    ),
  );
}

/** Hides credentials in a Redis URL before it is printed. */
function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}

/**
 * Jobs processed at once. Many orders fall due in the same second (a sale
 * opening); one at a time, each waiting for NATS to store its event, would
 * queue them behind each other and break the 2 s promise.
 */
export const defaultConcurrency = 50;

/**
 * Starts processing due jobs with `handle` (awaited: a rejection fails the job
 * and Bull retries it). Returns at once; Bull keeps processing until the queue
 * is closed.
 */
export function processDueJobs(
  queue: ExpirationQueue,
  handle: (orderId: string) => Promise<void>,
  logger: Logger,
  concurrency = defaultConcurrency,
): void {
  queue
    .process(concurrency, async (job) => {
      await handle(job.data.orderId);
      logger.debug(
        { orderId: job.data.orderId, lateByMs: Date.now() - (job.timestamp + (job.opts.delay ?? 0)) },
        'order expired',
      );
    })
    .catch((err: unknown) => logger.error({ err }, 'expiration worker stopped'));
}
