import type { Logger } from '@gittix/common/core';
import { cancelOrder } from './cancel-order';
import type { OrderDeps } from './deps';

/**
 * The backstop behind expiration: an order still `created` well past its
 * `expiresAt` (no expiration:complete came: Redis lost the job, or it failed
 * every attempt) is cancelled here, with order:cancelled as usual, so its
 * ticket is released. `graceMs` leaves expiration its chance first.
 */
export async function cancelOverdueOrders(
  deps: OrderDeps,
  log: Logger,
  options: { graceMs: number; now?: Date; batch?: number },
): Promise<number> {
  const cutoff = new Date((options.now ?? new Date()).getTime() - options.graceMs);
  const overdue = await deps.models.Order.find({ status: 'created', expiresAt: { $lt: cutoff } }, { _id: 1 })
    .limit(options.batch ?? 100)
    .lean();
  let cancelled = 0;
  for (const { _id } of overdue) {
    const result = await cancelOrder(deps, _id);
    if (result.outcome === 'cancelled') {
      cancelled += 1;
      log.warn({ orderId: _id.toHexString() }, 'order overdue without expiration:complete; cancelled by the backstop');
    }
  }
  return cancelled;
}

/** Runs the backstop every `intervalMs` until stopped. */
export function startOverdueSweep(
  deps: OrderDeps,
  log: Logger,
  options: { graceMs: number; intervalMs: number },
): { stop(): Promise<void> } {
  let running: Promise<unknown> | undefined;
  const round = () => {
    running ??= cancelOverdueOrders(deps, log, options)
      .catch((err: unknown) => log.error({ err }, 'overdue-order sweep failed; retrying next round'))
      .finally(() => (running = undefined));
  };
  const timer = setInterval(round, options.intervalMs);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
