import type { Logger } from '@gittix/common/core';
import type { PaymentDeps } from './deps';
import { settleStaleAttempts } from './pay-for-order';
import { refundDuePayments } from './refund-payment';

/**
 * What payments finishes on its own, at start and every `intervalMs`: charges
 * a crash or a timeout left pending, and refunds decided but not done. Every
 * step is idempotent (Stripe idempotency keys, conditional writes), so two
 * replicas reconciling at once do the work once.
 */
export function startReconciler(deps: PaymentDeps, log: Logger, intervalMs = 30_000): { stop(): Promise<void> } {
  let running: Promise<void> | undefined;
  const round = () => {
    running ??= (async () => {
      try {
        const charges = await settleStaleAttempts(deps, log);
        const refunds = await refundDuePayments(deps, log);
        if (charges + refunds > 0) log.info({ charges, refunds }, 'reconciled what was left unfinished');
        else log.debug('reconciliation round: nothing left unfinished');
      } catch (err) {
        log.error({ err }, 'reconciliation failed; retrying next round');
      } finally {
        running = undefined;
      }
    })();
    return running;
  };
  void round();
  const timer = setInterval(() => void round(), intervalMs);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
