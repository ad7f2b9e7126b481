/**
 * @gittix/common/contracts: what the services and the web app agree on, and
 * nothing else. Zod and plain TypeScript only, so it runs in the browser as it
 * does in Node: event subjects and payload schemas, statuses, the id format,
 * the request bodies and their limits, and the money rules.
 */
export {
  eventSchemas,
  type EventData,
  type Subject,
  ticketCreatedSubject,
  ticketUpdatedSubject,
  ticketDeletedSubject,
  orderCreatedSubject,
  orderCancelledSubject,
  expirationCompleteSubject,
  paymentCreatedSubject,
  paymentRefundedSubject,
  sessionRevokedSubject,
  type TicketCreatedEvent,
  type TicketUpdatedEvent,
  type TicketDeletedEvent,
  type OrderCreatedEvent,
  type OrderCancelledEvent,
  type ExpirationCompleteEvent,
  type PaymentCreatedEvent,
  type PaymentRefundedEvent,
  type SessionRevokedEvent,
} from './events';
export { objectId, objectIdPattern, isObjectId } from './ids';
export {
  ticketStatuses,
  orderStatuses,
  paymentStatuses,
  isOrderOpen,
  isOrderPayable,
  type TicketStatus,
  type OrderStatus,
  type PaymentStatus,
} from './statuses';
export { minPriceCents, maxPriceCents, priceInput, toCents, fromCents, isChargeableCents } from './money';
export {
  ticketFieldLimits,
  ticketCategories,
  ticketSorts,
  ticketSearchLimits,
  maxEventYearsAhead,
  hasEventStarted,
  cityKey,
  isHttpUrl,
  type TicketCategory,
  type TicketSort,
} from './ticket-rules';
export {
  ticketBodySchema,
  ticketUpdateSchema,
  ticketSearchSchema,
  ticketSearchQuery,
  ticketSearchParams,
  type TicketBody,
  type TicketInput,
  type TicketUpdateBody,
  type TicketUpdateInput,
  type TicketSearch,
} from './tickets';
export { userFieldLimits } from './user-rules';
export { signUpSchema, signInSchema, type SignUpBody, type SignInBody } from './users';
export { defaultPageSize, maxPageSize, pageQueryShape, cursorPattern, type PageQuery } from './pagination';
