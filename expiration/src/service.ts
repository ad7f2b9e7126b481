import type { ServiceSpec } from '@gittix/common/service';
import { loadConfig, type Config } from './config';
import type { ExpirationDeps } from './domain/deps';
import { announceExpiry } from './domain/expirations';
import { listeners } from './events/listeners';
import { ExpirationCompletePublisher } from './events/publishers';
import {
  createExpirationQueue,
  isQueueConnected,
  logQueueEvents,
  processDueJobs,
  waitForQueue,
} from './models/expiration-queue';

/**
 * The expiration service: every order:created becomes a delayed job, and when
 * it falls due, expiration:complete. It has no API, only the health probes.
 */
export const expirationService: ServiceSpec<Config, ExpirationDeps> = {
  name: 'expiration',
  loadConfig,
  async wire(ctx) {
    const { config, logger, bus } = ctx;
    const queue = createExpirationQueue(config.redisUrl, { prefix: config.queuePrefix });
    // Closed after the listener stops (no new jobs) and before the bus (running jobs finish their publish).
    ctx.onStop(() => queue.close());
    logQueueEvents(queue, logger);
    await waitForQueue(queue, config.redisUrl);
    ctx.readyWhen(() => isQueueConnected(queue));
    const publisher = new ExpirationCompletePublisher(bus);
    const deps = { queue, announce: (event: { orderId: string }) => publisher.publish(event) };
    // Jobs already in Redis (scheduled before a restart) fire as soon as this runs.
    processDueJobs(queue, (orderId) => announceExpiry(deps, orderId), logger);
    return { deps, listeners: listeners(deps) };
  },
};
