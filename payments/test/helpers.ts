import { connectRedis, Outbox, RateLimiter, DeadLetters, RevokedSessions } from '@gittix/common';
import {
  buildOrderCreatedEvent,
  captureLogger,
  connectTestDatabase,
  infraUrl,
  MemoryBus,
  newId,
  signin,
  testJwtKey,
} from '@gittix/testing';
import type { OrderCreatedEvent } from '@gittix/common';
import Stripe from 'stripe';
import request from 'supertest';
import { createApp } from '../src/app';
import { loadConfig } from '../src/config';
import type { PaymentOptions } from '../src/domain/pay-for-order';
import { startListeners } from '../src/events/listeners';
import { createModels } from '../src/models';
import { createStripeClient } from '../src/stripe/stripe-client';

/** Which real Stripe-API server the SDK talks to. */
export type StripeServer = 'stateful' | 'stripe-mock';

export interface SetupOptions {
  stripe?: StripeServer;
  /** Overrides STRIPE_API_BASE (an unreachable port, to prove the 503). */
  stripeApiBase?: string;
  /** Reuse a database (a second "process" on the same data, after a crash). */
  db?: Awaited<ReturnType<typeof connectTestDatabase>>;
  paymentOptions?: Partial<PaymentOptions>;
  env?: Record<string, string>;
}

/**
 * The payments app on a fresh database of the real test server, the real
 * stripe SDK pointed at a real Stripe-API server, and a recording in-memory bus
 * that the order listeners are subscribed to (DESIGN §7).
 */
export async function setupPayments(options: SetupOptions = {}) {
  const db = options.db ?? (await connectTestDatabase('payments'));
  const logs = captureLogger('payments');
  const bus = new MemoryBus();
  const apiBase = options.stripeApiBase ?? infraUrl(options.stripe === 'stripe-mock' ? 'stripe' : 'stripeStateful');
  const config = loadConfig({
    MONGO_URL: db.url,
    JWT_KEY: testJwtKey,
    NODE_ENV: 'test',
    NATS_URL: 'nats://127.0.0.1:4222',
    NATS_CLIENT_ID: 'payments-test',
    STRIPE_SECRET_KEY: 'sk_test_gittixPaymentsTests0001',
    STRIPE_API_BASE: apiBase,
    ...options.env,
  });
  const models = await createModels(db.connection);
  const stripe = createStripeClient(config);
  const outbox = new Outbox({ bus, logger: logs.logger, models: [models.Payment] });
  const revokedSessions = new RevokedSessions(db.connection);
  const deadLetters = new DeadLetters(db.connection);
  // The rate-limit counters in the real test Redis, under this database's name so files never share them.
  const redis = connectRedis(infraUrl('redis'), logs.logger);
  await new Promise<void>((resolve) => (redis.status === 'ready' ? resolve() : redis.once('ready', () => resolve())));
  const limiter = new RateLimiter({ redis, prefix: `payments-test-${db.connection.name}`, logger: logs.logger });
  const app = createApp({
    config,
    logger: logs.logger,
    connection: db.connection,
    bus,
    models,
    stripe,
    outbox,
    limiter,
    revokedSessions,
    paymentOptions: options.paymentOptions,
  });
  await startListeners(bus, logs.logger, { models, stripe, outbox, revokedSessions, deadLetters });
  const drop = db.drop;
  db.drop = async () => {
    redis.disconnect();
    await drop();
  };

  /** Delivers order:created for a new order of `buyer` (as the orders service would) and returns the event. */
  const givenOrder = async (buyer: string, overrides: Partial<OrderCreatedEvent> = {}): Promise<OrderCreatedEvent> => {
    const event = buildOrderCreatedEvent({ userId: buyer, ...overrides });
    const { acked } = await bus.deliver('order:created', event);
    if (!acked) throw new Error('order:created was not acked');
    return event;
  };

  return { deadLetters, app, api: request(app), db, logs, bus, models, stripe, outbox, config, givenOrder };
}

export type PaymentsHarness = Awaited<ReturnType<typeof setupPayments>>;

/** A buyer: an id and the session cookie that signs them in. */
export function buildBuyer(): { id: string; cookie: string[] } {
  const id = newId();
  return { id, cookie: signin({ id }) };
}

/** Every charge the Stripe server holds for one order (by the metadata each charge carries). */
export async function chargesFor(stripe: Stripe, orderId: string): Promise<Stripe.Charge[]> {
  const all = await stripe.charges.list({ limit: 100 }).autoPagingToArray({ limit: 10_000 });
  return all.filter((charge) => charge.metadata.orderId === orderId);
}
