import {
  connectRedis,
  Outbox,
  RateLimiter,
  DeadLetters,
  RevokedSessions,
  type TicketCreatedEvent,
} from '@gittix/common';
import {
  buildTicketCreatedEvent,
  buildUser,
  captureLogger,
  connectTestDatabase,
  infraUrl,
  MemoryBus,
  signin,
  testJwtKey,
  type TestUser,
} from '@gittix/testing';
import mongoose from 'mongoose';
import request from 'supertest';
import { createApp } from '../src/app';
import { loadConfig } from '../src/config';
import { startListeners } from '../src/events/listeners';
import { createModels } from '../src/models';
import type { OrderJson } from '../src/models/order';

/**
 * The orders app and its listeners on a fresh database of the real test
 * server, with a recording bus and captured log lines.
 */
export async function setupOrders(env: Record<string, string> = {}) {
  const db = await connectTestDatabase('orders');
  const logs = captureLogger('orders');
  const config = loadConfig({
    MONGO_URL: db.url,
    JWT_KEY: testJwtKey,
    NODE_ENV: 'test',
    NATS_URL: 'nats://127.0.0.1:4222', // not dialled: component tests use the MemoryBus
    NATS_CLIENT_ID: 'orders-test',
    ...env,
  });
  const models = await createModels(db.connection);
  const bus = new MemoryBus();
  const outbox = new Outbox({ bus, logger: logs.logger, models: [models.Order] });
  const deps = { models, outbox };
  const revokedSessions = new RevokedSessions(db.connection);
  const deadLetters = new DeadLetters(db.connection);
  await startListeners(bus, logs.logger, { ...deps, revokedSessions, deadLetters });
  // The rate-limit counters in the real test Redis, under this database's name so files never share them.
  const redis = connectRedis(infraUrl('redis'), logs.logger);
  await new Promise<void>((resolve) => (redis.status === 'ready' ? resolve() : redis.once('ready', () => resolve())));
  const limiter = new RateLimiter({ redis, prefix: `orders-test-${db.connection.name}`, logger: logs.logger });
  const app = createApp({
    config,
    logger: logs.logger,
    connection: db.connection,
    models,
    bus,
    outbox,
    limiter,
    revokedSessions,
  });
  const drop = db.drop;
  db.drop = async () => {
    redis.disconnect();
    await drop();
  };
  return { deadLetters, app, api: request(app), models, bus, outbox, deps, logs, db, config, limiter, redis };
}

export type OrdersHarness = Awaited<ReturnType<typeof setupOrders>>;

/** A user with a session cookie. */
export function buildBuyer(overrides: Partial<TestUser> = {}): TestUser & { cookie: string[] } {
  const user = buildUser(overrides);
  return { ...user, cookie: signin(user) };
}

/** Makes the orders service know a ticket, as the tickets service would (ticket:created). */
export async function knownTicket(
  h: OrdersHarness,
  overrides: Partial<TicketCreatedEvent> = {},
): Promise<TicketCreatedEvent> {
  const event = buildTicketCreatedEvent(overrides);
  const { acked } = await h.bus.deliver('ticket:created', event);
  if (!acked) throw new Error('ticket:created was not acked');
  return event;
}

/** POST /api/orders as a buyer. */
export function placeOrder(h: OrdersHarness, buyer: { cookie: string[] }, ticketId: string) {
  return h.api.post('/api/orders').set('Cookie', buyer.cookie).send({ ticketId });
}

/** Places an order that must succeed; returns it as answered. */
export async function orderOf(h: OrdersHarness, buyer: { cookie: string[] }, ticketId: string): Promise<OrderJson> {
  const res = await placeOrder(h, buyer, ticketId);
  if (res.status !== 201) throw new Error(`ordering answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body as OrderJson;
}

/** The stored order, internal fields included. */
export async function storedOrder(h: OrdersHarness, id: string) {
  const doc = await h.models.Order.findById(id).lean();
  if (!doc) throw new Error(`order ${id} is not stored`);
  return doc;
}

/** Published events of one subject about one order. */
export function orderEvents(h: OrdersHarness, subject: string, orderId: string): Record<string, unknown>[] {
  return (h.bus.eventsOf(subject) as Record<string, unknown>[]).filter((e) => e.id === orderId);
}

/**
 * A second instance of the service on the same database (its own connection,
 * outbox and bus), as a second pod would be.
 */
export async function secondInstance(h: OrdersHarness) {
  const connection = await mongoose.createConnection(h.db.url, { autoIndex: false }).asPromise();
  const models = await createModels(connection);
  const bus = new MemoryBus();
  const outbox = new Outbox({ bus, logger: h.logs.logger, models: [models.Order] });
  // Its own revocation store and limiter over the same database and Redis, as another replica has.
  const app = createApp({
    config: h.config,
    logger: h.logs.logger,
    connection,
    models,
    bus,
    outbox,
    limiter: h.limiter,
    revokedSessions: new RevokedSessions(connection),
  });
  return { api: request(app), bus, close: () => connection.close() };
}
