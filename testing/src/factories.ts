import { toCents } from '@gittix/common/contracts';
import { newSessionId } from '@gittix/common/core';
import { Types } from 'mongoose';
import type {
  ExpirationCompleteEvent,
  OrderCancelledEvent,
  OrderCreatedEvent,
  PaymentCreatedEvent,
  SessionRevokedEvent,
  TicketCreatedEvent,
  TicketDeletedEvent,
  TicketUpdatedEvent,
} from '@gittix/common/contracts';

/** A fresh ObjectId as a string. */
export function newId(): string {
  return new Types.ObjectId().toHexString();
}

export interface TicketInput {
  title: string;
  price: number;
  description?: string;
  imageUrl?: string;
  eventDate: string;
  venue: string;
  city: string;
  category: string;
}

/** An ISO date-time `days` from now (fractions allowed): a future event date by default. */
export function inDays(days = 30): string {
  return new Date(Date.now() + days * 24 * 3600_000).toISOString();
}

/** A valid `POST /api/tickets` body: an event a month from now. */
export function buildTicket(overrides: Partial<TicketInput> = {}): TicketInput {
  return {
    title: `Concert ${newId().slice(-6)}`,
    price: 20,
    eventDate: inDays(30),
    venue: 'Town Hall',
    city: 'Springfield',
    category: 'concert',
    ...overrides,
  };
}

/** `priceCents` follows an overridden `price`, as a real publisher computes it. */
function withCents<T extends { price: number; priceCents?: number }>(event: T, overrides: Partial<T>): T {
  return overrides.priceCents === undefined ? { ...event, priceCents: toCents(event.price) } : event;
}

export function buildTicketCreatedEvent(overrides: Partial<TicketCreatedEvent> = {}): TicketCreatedEvent {
  return withCents(
    { id: newId(), version: 0, title: 'Concert', price: 20, userId: newId(), eventDate: inDays(30), ...overrides },
    overrides,
  );
}

export function buildTicketUpdatedEvent(overrides: Partial<TicketUpdatedEvent> = {}): TicketUpdatedEvent {
  return withCents(
    {
      id: newId(),
      version: 1,
      title: 'Concert',
      price: 20,
      userId: newId(),
      eventDate: inDays(30),
      status: 'available',
      ...overrides,
    },
    overrides,
  );
}

export function buildTicketDeletedEvent(overrides: Partial<TicketDeletedEvent> = {}): TicketDeletedEvent {
  return { id: newId(), version: 1, ...overrides };
}

export function buildOrderCreatedEvent(overrides: Partial<OrderCreatedEvent> = {}): OrderCreatedEvent {
  const ticket = { id: newId(), price: 20, ...overrides.ticket };
  return {
    id: newId(),
    version: 0,
    status: 'created',
    userId: newId(),
    expiresAt: new Date(Date.now() + 15 * 60_000).toISOString(),
    ...overrides,
    ticket: withCents(ticket, overrides.ticket ?? {}),
  };
}

export function buildOrderCancelledEvent(overrides: Partial<OrderCancelledEvent> = {}): OrderCancelledEvent {
  return { id: newId(), version: 1, ticket: { id: newId() }, ...overrides };
}

export function buildExpirationCompleteEvent(
  overrides: Partial<ExpirationCompleteEvent> = {},
): ExpirationCompleteEvent {
  return { orderId: newId(), ...overrides };
}

export function buildSessionRevokedEvent(overrides: Partial<SessionRevokedEvent> = {}): SessionRevokedEvent {
  return {
    sessionId: newSessionId(),
    userId: newId(),
    expiresAt: new Date(Date.now() + 3600_000).toISOString(),
    ...overrides,
  };
}

export function buildPaymentCreatedEvent(overrides: Partial<PaymentCreatedEvent> = {}): PaymentCreatedEvent {
  return { id: newId(), orderId: newId(), stripeId: `ch_${newId()}`, ...overrides };
}
