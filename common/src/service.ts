import type { Logger } from 'pino';
import { ConfigError } from './config';

/** What `start()` hands back: how to stop everything it started, in reverse order. */
export type StopFn = () => Promise<void>;

/**
 * Runs a service process: calls `start`, and on SIGTERM/SIGINT calls the stop
 * function it returned once, then exits 0. A failure to start exits 1 with one
 * clear line; an uncaught error is logged and exits 1 so the orchestrator restarts it.
 */
export function runService(
  name: string,
  start: () => Promise<{ stop: StopFn; logger: Logger }>,
  options: {
    /**
     * How long a stop may take before the process exits anyway. Longer than
     * the slowest in-flight work (payments: a Stripe call); the Deployment's
     * terminationGracePeriodSeconds is longer still.
     */
    stopTimeoutMs?: number;
  } = {},
): void {
  const stopTimeoutMs = options.stopTimeoutMs ?? 10_000;
  let stopping = false;
  let running: { stop: StopFn; logger: Logger } | undefined;

  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    const logger = running?.logger;
    logger?.info({ signal }, `${name} stopping`);
    const stop = running?.stop ?? (() => Promise.resolve());
    const force = setTimeout(() => {
      logger?.error(`${name} did not stop within ${stopTimeoutMs / 1000} s; exiting`);
      process.exit(1);
    }, stopTimeoutMs);
    force.unref();
    stop()
      .then(() => {
        logger?.info(`${name} stopped`);
        process.exit(0);
      })
      .catch((err: unknown) => {
        logger?.error({ err }, `${name} failed to stop cleanly`);
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('unhandledRejection', (err) => {
    running?.logger.fatal({ err }, 'unhandled promise rejection');
    process.exit(1);
  });

  start()
    .then((handle) => {
      running = handle;
      if (stopping) {
        stopping = false;
        shutdown('SIGTERM');
      }
    })
    .catch((err: unknown) => {
      const message = err instanceof ConfigError || err instanceof Error ? err.message : String(err);
      process.stderr.write(`${name}: failed to start: ${message}\n`);
      process.exit(1);
    });
}
