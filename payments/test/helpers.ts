import type { OrderCreatedEvent } from '@gittix/common/contracts';
import { buildOrderCreatedEvent, infraUrl, newId, signin } from '@gittix/testing';
import { startTestService, useTestService, type TestService, type TestServiceOptions } from '@gittix/testing/harness';
import type Stripe from 'stripe';
import type { Config } from '../src/config';
import type { PaymentDeps } from '../src/domain/deps';
import { paymentsService } from '../src/service';

/** Which real Stripe-API server the SDK talks to: stripe-stateful-mock (the default) or the stateless stripe-mock. */
export type StripeServer = 'stateful' | 'stripe-mock';

export interface PaymentsOptions extends TestServiceOptions {
  stripe?: StripeServer;
  /** Overrides STRIPE_API_BASE (an unreachable port, to prove the 503). */
  stripeApiBase?: string;
}

export type PaymentsHarness = TestService<Config, PaymentDeps>;

function serviceOptions(options: PaymentsOptions): TestServiceOptions {
  const apiBase = options.stripeApiBase ?? infraUrl(options.stripe === 'stripe-mock' ? 'stripe' : 'stripeStateful');
  return { ...options, env: { STRIPE_API_BASE: apiBase, ...options.env } };
}

/**
 * The payments service for this test file, started as index.ts starts it, on
 * a fresh database, the real stripe SDK pointed at a real Stripe-API server,
 * and a recording bus its order listeners hear.
 */
export function usePayments(options: PaymentsOptions = {}): PaymentsHarness {
  return useTestService(paymentsService, serviceOptions(options));
}

/** The same, started and stopped by the test (a second process on the same data, or other settings). */
export function startPayments(options: PaymentsOptions = {}): Promise<PaymentsHarness> {
  return startTestService(paymentsService, serviceOptions(options));
}

/** Delivers order:created for a new order of `buyer` (as the orders service would) and returns the event. */
export async function givenOrder(
  h: PaymentsHarness,
  buyer: string,
  overrides: Partial<OrderCreatedEvent> = {},
): Promise<OrderCreatedEvent> {
  const event = buildOrderCreatedEvent({ userId: buyer, ...overrides });
  const { acked } = await h.bus.deliver('order:created', event);
  if (!acked) throw new Error('order:created was not acked');
  return event;
}

/** The buyer's payments of one order, as GET /api/payments lists them. */
export async function paymentsOf(
  h: PaymentsHarness,
  buyer: { cookie: string[] },
  orderId: string,
): Promise<{ id: string; status: string; amount: number }[]> {
  const res = await h.api.get(`/api/payments?orderId=${orderId}`).set('Cookie', buyer.cookie).expect(200);
  return res.body as { id: string; status: string; amount: number }[];
}

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
