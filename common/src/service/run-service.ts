import type { ServiceConfig } from '../core/config';
import { startService, type RunningService, type ServiceSpec } from './start-service';

/**
 * Runs a service as its process (each `index.ts` is this one call): starts it,
 * and on SIGTERM or SIGINT stops it once and exits 0. A failure to start exits
 * 1 with one clear line on stderr (a bad config names every bad variable); an
 * unhandled rejection is logged and exits 1 so the orchestrator restarts the
 * process; a stop that takes longer than `stopTimeoutMs` exits 1.
 */
/** How long a stop may take when the spec does not say (the Deployments' grace periods are longer). */
export const defaultStopTimeoutMs = 10_000;

export function runService<C extends ServiceConfig, D>(spec: ServiceSpec<C, D>): void {
  const stopTimeoutMs = spec.stopTimeoutMs ?? defaultStopTimeoutMs;
  let running: RunningService<C, D> | undefined;
  let signalled: string | undefined;

  const shutdown = (service: RunningService<C, D>, signal: string) => {
    const { logger } = service;
    logger.info({ signal }, `${spec.name} stopping`);
    const force = setTimeout(() => {
      logger.error(`${spec.name} did not stop within ${stopTimeoutMs / 1000} s; exiting`);
      process.exit(1);
    }, stopTimeoutMs);
    force.unref();
    service.stop().then(
      () => {
        logger.info(`${spec.name} stopped`);
        process.exit(0);
      },
      (err: unknown) => {
        logger.error({ err }, `${spec.name} failed to stop cleanly`);
        process.exit(1);
      },
    );
  };
  const onSignal = (signal: string) => {
    if (signalled) return;
    signalled = signal;
    // A signal during the start waits for it to finish, then stops what it opened.
    if (running) shutdown(running, signal);
  };
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('unhandledRejection', (err) => {
    if (running) running.logger.fatal({ err }, 'unhandled promise rejection');
    else process.stderr.write(`${spec.name}: unhandled promise rejection: ${String(err)}\n`);
    process.exit(1);
  });

  startService(spec).then(
    (service) => {
      running = service;
      if (signalled) shutdown(service, signalled);
    },
    (err: unknown) => {
      process.stderr.write(`${spec.name}: failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
