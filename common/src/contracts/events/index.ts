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

export { ticketCreatedSubject, type TicketCreatedEvent } from './subjects/ticket-created';
export { ticketUpdatedSubject, type TicketUpdatedEvent } from './subjects/ticket-updated';
export { ticketDeletedSubject, type TicketDeletedEvent } from './subjects/ticket-deleted';
export { orderCreatedSubject, type OrderCreatedEvent } from './subjects/order-created';
export { orderCancelledSubject, type OrderCancelledEvent } from './subjects/order-cancelled';
export { expirationCompleteSubject, type ExpirationCompleteEvent } from './subjects/expiration-complete';
export { paymentCreatedSubject, type PaymentCreatedEvent } from './subjects/payment-created';
export { paymentRefundedSubject, type PaymentRefundedEvent } from './subjects/payment-refunded';
export { sessionRevokedSubject, type SessionRevokedEvent } from './subjects/session-revoked';

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
