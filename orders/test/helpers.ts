import type { TicketCreatedEvent } from '@gittix/common/contracts';
import { buildTicketCreatedEvent, buildUser, signin, type TestUser } from '@gittix/testing';
import { startTestService, useTestService, type TestService, type TestServiceOptions } from '@gittix/testing/harness';
import type { Config } from '../src/config';
import type { OrderDeps } from '../src/domain/deps';
import type { OrderJson } from '../src/models/order';
import { ordersService } from '../src/service';

export type OrdersHarness = TestService<Config, OrderDeps>;

/** The orders service for this test file: started as index.ts starts it, on a fresh database, with a recording bus. */
export function useOrders(options?: TestServiceOptions): OrdersHarness {
  return useTestService(ordersService, options);
}

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

/** The order as its buyer sees it now. */
export async function orderNow(h: OrdersHarness, order: { id: string; userId: string }): Promise<OrderJson> {
  const res = await h.api.get(`/api/orders/${order.id}`).set('Cookie', signin({ id: order.userId }));
  if (res.status !== 200) throw new Error(`reading order ${order.id} answered ${res.status}`);
  return res.body as OrderJson;
}

/** The ticket as this service knows it: what a new order of it shows (the order holds the ticket from then on). */
export async function ticketAsOrdered(h: OrdersHarness, ticketId: string): Promise<OrderJson['ticket']> {
  return (await orderOf(h, buildBuyer(), ticketId)).ticket;
}

/** Published events of one subject about one order. */
export function orderEvents(h: OrdersHarness, subject: string, orderId: string): Record<string, unknown>[] {
  return (h.bus.eventsOf(subject) as Record<string, unknown>[]).filter((e) => e.id === orderId);
}

/** A second instance of the service on the same database (its own connection, outbox and bus), as a second pod would be. */
export function secondInstance(h: OrdersHarness): Promise<OrdersHarness> {
  return startTestService(ordersService, { db: h.db });
}
