import {
  buildOrderCreatedEvent,
  buildTicket,
  buildUser,
  newId,
  signin,
  type TestUser,
  type TicketInput,
} from '@gittix/testing';
import { useTestService, type TestService, type TestServiceOptions } from '@gittix/testing/harness';
import type { Config } from '../src/config';
import type { TicketDeps } from '../src/domain/deps';
import type { TicketJson } from '../src/models/ticket';
import { ticketsService } from '../src/service';

export type TicketsHarness = TestService<Config, TicketDeps>;

/** The tickets service for this test file: started as index.ts starts it, on a fresh database, with a recording bus. */
export function useTickets(options?: TestServiceOptions): TicketsHarness {
  return useTestService(ticketsService, options);
}

/** A seller with a session cookie. */
export function buildSeller(overrides: Partial<TestUser> = {}): TestUser & { cookie: string[] } {
  const user = buildUser(overrides);
  return { ...user, cookie: signin(user) };
}

/** Lists a ticket through the API and returns it as answered (201). */
export async function createTicket(
  h: TicketsHarness,
  seller: { cookie: string[] } = buildSeller(),
  overrides: Partial<TicketInput> = {},
): Promise<TicketJson> {
  const res = await h.api.post('/api/tickets').set('Cookie', seller.cookie).send(buildTicket(overrides));
  if (res.status !== 201) throw new Error(`creating a ticket answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body as TicketJson;
}

/** The ticket as its seller sees it now (with `version`, `status` and the `orderId` holding it). */
export async function ticketNow(h: TicketsHarness, ticket: { id: string; userId: string }): Promise<TicketJson> {
  const res = await h.api.get(`/api/tickets/${ticket.id}`).set('Cookie', signin({ id: ticket.userId }));
  if (res.status !== 200) throw new Error(`reading ticket ${ticket.id} answered ${res.status}`);
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

/** Published events of one subject about one ticket. */
export function ticketEvents(h: TicketsHarness, subject: string, ticketId: string): Record<string, unknown>[] {
  return (h.bus.eventsOf(subject) as Record<string, unknown>[]).filter((e) => e.id === ticketId);
}
