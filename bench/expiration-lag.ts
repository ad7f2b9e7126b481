// Expiration lag: 1,000 orders all due at the same instant go through the real
// expiration service (its built process) on a real Redis and NATS Streaming;
// lag = when expiration:complete reaches a subscriber − the order's expiresAt.
// docs/architecture.md#expiration promises p99 < 2 s. See bench/README.md.
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { connectNatsStreaming } from '@gittix/common/bus';
import {
  buildOrderCreatedEvent,
  captureLogger,
  startNatsStreaming,
  startRedis,
  startServiceProcess,
  waitFor,
} from '@gittix/testing';
import { percentile, writeResult } from './stats';

const ORDERS = Number(process.env.BENCH_ORDERS ?? 1000);
/** Time to publish every order:created before they fall due. */
const LEAD_MS = Number(process.env.BENCH_LEAD_MS ?? 10_000);

async function main(): Promise<void> {
  const [redis, nats] = await Promise.all([startRedis({}), startNatsStreaming({})]);
  const expiration = await startServiceProcess({
    service: 'expiration',
    env: {
      NATS_URL: nats.url,
      NATS_CLUSTER_ID: 'ticketing',
      NATS_CLIENT_ID: `expiration-${randomUUID()}`,
      REDIS_URL: redis.url,
    },
  });
  const bus = await connectNatsStreaming({
    url: nats.url,
    clusterId: 'ticketing',
    clientId: `bench-${randomUUID()}`,
    logger: captureLogger('bench').logger,
  });
  try {
    const firedAt = new Map<string, number>();
    const subscription = await bus.subscribe(
      'expiration:complete',
      { queueGroup: 'bench-observer', ackWaitMs: 30_000 },
      (message) => {
        const { orderId } = message.data as { orderId: string };
        if (!firedAt.has(orderId)) firedAt.set(orderId, Date.now());
        message.ack();
        return Promise.resolve();
      },
    );

    // Every order falls due at the same instant, on a whole second, LEAD_MS from now.
    const dueAt = Math.ceil((Date.now() + LEAD_MS) / 1000) * 1000;
    const events = Array.from({ length: ORDERS }, () =>
      buildOrderCreatedEvent({ expiresAt: new Date(dueAt).toISOString() }),
    );
    const publishStart = Date.now();
    await Promise.all(events.map((event) => bus.publish('order:created', event)));
    const publishMs = Date.now() - publishStart;
    if (Date.now() > dueAt - 1000) throw new Error(`publishing took ${publishMs} ms: raise BENCH_LEAD_MS`);

    await waitFor(() => firedAt.size >= ORDERS, `${ORDERS} expiration:complete events`, LEAD_MS + 60_000);
    await subscription.close();

    const lags = events.map((e) => (firedAt.get(e.id) ?? NaN) - dueAt).sort((a, b) => a - b);
    const result = {
      bench: 'expiration-lag',
      at: new Date().toISOString(),
      machine: { cpus: os.cpus().length, node: process.version },
      orders: ORDERS,
      publishMs,
      lagMs: {
        min: lags[0],
        p50: percentile(lags, 50),
        p90: percentile(lags, 90),
        p99: percentile(lags, 99),
        max: lags[lags.length - 1],
      },
      early: lags.filter((lag) => lag < 0).length,
    };
    const file = writeResult('expiration-lag', result);
    console.log(JSON.stringify(result, null, 2));
    console.log(`written to ${file}`);
  } finally {
    await bus.close();
    await expiration.stop();
    await Promise.all([redis.stop(), nats.stop()]);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
