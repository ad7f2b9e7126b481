// Payments per second through the API: the built payments process on a real
// FerretDB and NATS Streaming, charging through the real stripe SDK against
// stripe-mock. Every request pays a different open order of one buyer.
// See bench/README.md.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import mongoose from 'mongoose';
import { connectNatsStreaming } from '@gittix/common/bus';
import {
  buildOrderCreatedEvent,
  captureLogger,
  newId,
  signin,
  startMongo,
  startNatsStreaming,
  startServiceProcess,
  startStripeMock,
  testJwtKey,
  waitFor,
  withDatabase,
} from '@gittix/testing';
import { writeResult } from './stats';

const ORDERS = Number(process.env.BENCH_ORDERS ?? 1000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);

function run(options: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(options, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

async function main(): Promise<void> {
  const tmpDir = mkdtempSync(path.join(os.tmpdir(), 'gittix-bench-payments-'));
  const [mongo, nats, stripe] = await Promise.all([
    startMongo({ tmpDir }),
    startNatsStreaming({}),
    startStripeMock({}),
  ]);
  const mongoUrl = withDatabase(mongo.url, 'bench_payments');
  const payments = await startServiceProcess({
    service: 'payments',
    env: {
      MONGO_URL: mongoUrl,
      JWT_KEY: testJwtKey,
      NATS_URL: nats.url,
      NATS_CLUSTER_ID: 'ticketing',
      NATS_CLIENT_ID: `payments-${randomUUID()}`,
      STRIPE_SECRET_KEY: 'sk_test_gittixBench0001',
      STRIPE_API_BASE: stripe.url,
      // One buyer pays every order here: the per-buyer abuse limit (30 per 10 minutes) is not what is measured.
      PAYMENT_ATTEMPTS_PER_BUYER_PER_10_MIN: '1000000',
    },
  });
  const bus = await connectNatsStreaming({
    url: nats.url,
    clusterId: 'ticketing',
    clientId: `bench-${randomUUID()}`,
    logger: captureLogger('bench').logger,
  });
  const db = await mongoose.createConnection(mongoUrl).asPromise();
  // Ctrl-C still stops the servers this started.
  const interrupted = () => void cleanup().finally(() => process.exit(130));
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  async function cleanup(): Promise<void> {
    await db.close();
    await bus.close();
    await payments.stop();
    await Promise.all([mongo.stop(), nats.stop(), stripe.stop()]);
    rmSync(tmpDir, { recursive: true, force: true });
  }
  try {
    // One buyer with ORDERS open orders, told to payments the way the orders service would.
    const buyerId = newId();
    const orderIds: string[] = [];
    const expiresAt = new Date(Date.now() + 3600_000).toISOString();
    for (let i = 0; i < ORDERS; i += 200) {
      const batch = Array.from({ length: Math.min(200, ORDERS - i) }, () =>
        buildOrderCreatedEvent({ userId: buyerId, expiresAt }),
      );
      orderIds.push(...batch.map((e) => e.id));
      await Promise.all(batch.map((event) => bus.publish('order:created', event)));
    }
    await waitFor(
      async () => (await db.collection('orders').countDocuments()) >= ORDERS,
      'the order replicas',
      120_000,
    );

    let next = 0;
    const [cookie] = signin({ id: buyerId });
    const result = await run({
      url: payments.url,
      connections: CONNECTIONS,
      amount: ORDERS,
      requests: [
        {
          method: 'POST',
          path: '/api/payments',
          headers: { 'content-type': 'application/json', cookie: cookie ?? '' },
          setupRequest: (request) => ({
            ...request,
            body: JSON.stringify({ orderId: orderIds[next++ % ORDERS], token: 'tok_visa' }),
          }),
        },
      ],
    });
    const stored = await db.collection('payments').countDocuments();

    const summary = {
      bench: 'payments',
      at: new Date().toISOString(),
      machine: { cpus: os.cpus().length, node: process.version },
      stripe: 'stripe-mock',
      database: mongo.name,
      orders: ORDERS,
      connections: CONNECTIONS,
      seconds: result.duration,
      paymentsPerSecond: +(result['2xx'] / result.duration).toFixed(1),
      requestsPerSecond: { average: result.requests.average, p50: result.requests.p50 },
      latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
      responses: { '2xx': result['2xx'], non2xx: result.non2xx, errors: result.errors, timeouts: result.timeouts },
      paymentsStored: stored,
    };
    const file = writeResult('payments', summary);
    console.log(JSON.stringify(summary, null, 2));
    console.log(`written to ${file}`);
  } finally {
    process.removeListener('SIGINT', interrupted);
    process.removeListener('SIGTERM', interrupted);
    await cleanup();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
