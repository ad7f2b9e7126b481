import { Outbox, DeadLetters, RevokedSessions } from '@gittix/common';
import {
  buildOrderCreatedEvent,
  buildTicket,
  buildUser,
  captureLogger,
  connectTestDatabase,
  MemoryBus,
  newId,
  signin,
  testJwtKey,
  type TestUser,
  type TicketInput,
} from '@gittix/testing';
import request from 'supertest';
import { createApp } from '../src/app';
import { loadConfig } from '../src/config';
import { startListeners } from '../src/events/listeners';
import { createModels } from '../src/models';
import type { TicketJson } from '../src/models/ticket';

/**
 * The tickets app and its listeners on a fresh database of the real test
 * server, with a recording bus and captured log lines.
 */
export async function setupTickets(env: Record<string, string> = {}) {
  const db = await connectTestDatabase('tickets');
  const logs = captureLogger('tickets');
  const config = loadConfig({
    MONGO_URL: db.url,
    JWT_KEY: testJwtKey,
    NODE_ENV: 'test',
    NATS_URL: 'nats://127.0.0.1:4222', // not dialled: component tests use the MemoryBus
    NATS_CLIENT_ID: 'tickets-test',
    ...env,
  });
  const models = await createModels(db.connection);
  const bus = new MemoryBus();
  const outbox = new Outbox({ bus, logger: logs.logger, models: [models.Ticket] });
  const deps = { models, outbox };
  const revokedSessions = new RevokedSessions(db.connection);
  const deadLetters = new DeadLetters(db.connection);
  await startListeners(bus, logs.logger, { ...deps, revokedSessions, deadLetters });
  const app = createApp({
    config,
    logger: logs.logger,
    connection: db.connection,
    models,
    bus,
    outbox,
    revokedSessions,
  });
  return { deadLetters, app, api: request(app), models, bus, outbox, deps, logs, db, config, revokedSessions };
}

export type TicketsHarness = Awaited<ReturnType<typeof setupTickets>>;

/** A seller with a session cookie. */
export function buildSeller(overrides: Partial<TestUser> = {}): TestUser & { cookie: string[] } {
  const user = buildUser(overrides);
  return { ...user, cookie: signin(user) };
}

/** Lists a ticket through the API and returns it as answered (201). */
export async function createTicket(
  h: TicketsHarness,
  seller: { cookie: string[] },
  overrides: Partial<TicketInput> = {},
): Promise<TicketJson> {
  const res = await h.api.post('/api/tickets').set('Cookie', seller.cookie).send(buildTicket(overrides));
  if (res.status !== 201) throw new Error(`creating a ticket answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body as TicketJson;
}

/** Delivers order:created for a ticket and returns the order id and whether it was acked. */
export async function orderTicket(h: TicketsHarness, ticket: { id: string; price: number }, orderId = newId()) {
  const { acked } = await h.bus.deliver(
    'order:created',
    buildOrderCreatedEvent({ id: orderId, ticket: { id: ticket.id, price: ticket.price } }),
  );
  return { orderId, acked };
}

/** The stored ticket, internal fields included. */
export async function storedTicket(h: TicketsHarness, id: string) {
  const doc = await h.models.Ticket.findById(id).lean();
  if (!doc) throw new Error(`ticket ${id} is not stored`);
  return doc;
}

/** Published events of one subject about one ticket. */
export function ticketEvents(h: TicketsHarness, subject: string, ticketId: string): Record<string, unknown>[] {
  return (h.bus.eventsOf(subject) as Record<string, unknown>[]).filter((e) => e.id === ticketId);
}
