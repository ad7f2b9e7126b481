import type { z } from 'zod';
import { expirationCompleteSchema, expirationCompleteSubject } from './subjects/expiration-complete';
import { orderCancelledSchema, orderCancelledSubject } from './subjects/order-cancelled';
import { orderCreatedSchema, orderCreatedSubject } from './subjects/order-created';
import { paymentCreatedSchema, paymentCreatedSubject } from './subjects/payment-created';
import { paymentRefundedSchema, paymentRefundedSubject } from './subjects/payment-refunded';
import { sessionRevokedSchema, sessionRevokedSubject } from './subjects/session-revoked';
import { ticketCreatedSchema, ticketCreatedSubject } from './subjects/ticket-created';
import { ticketDeletedSchema, ticketDeletedSubject } from './subjects/ticket-deleted';
import { ticketUpdatedSchema, ticketUpdatedSubject } from './subjects/ticket-updated';

export * from './subjects/fields';
export * from './subjects/ticket-created';
export * from './subjects/ticket-updated';
export * from './subjects/ticket-deleted';
export * from './subjects/order-created';
export * from './subjects/order-cancelled';
export * from './subjects/expiration-complete';
export * from './subjects/payment-created';
export * from './subjects/payment-refunded';
export * from './subjects/session-revoked';

/** Every subject on the bus, mapped to the runtime schema of its payload. */
export const eventSchemas = {
  [ticketCreatedSubject]: ticketCreatedSchema,
  [ticketUpdatedSubject]: ticketUpdatedSchema,
  [ticketDeletedSubject]: ticketDeletedSchema,
  [orderCreatedSubject]: orderCreatedSchema,
  [orderCancelledSubject]: orderCancelledSchema,
  [expirationCompleteSubject]: expirationCompleteSchema,
  [paymentCreatedSubject]: paymentCreatedSchema,
  [paymentRefundedSubject]: paymentRefundedSchema,
  [sessionRevokedSubject]: sessionRevokedSchema,
} as const;

/** The subjects on the bus. */
export type Subject = keyof typeof eventSchemas;
/** The payload type of a subject. */
export type EventData<S extends Subject> = z.infer<(typeof eventSchemas)[S]>;

export const subjects = Object.keys(eventSchemas) as Subject[];

/** Validates a payload for a subject; throws a ZodError when it does not match. */
export function parseEventData<S extends Subject>(subject: S, data: unknown): EventData<S> {
  return eventSchemas[subject].parse(data) as EventData<S>;
}
