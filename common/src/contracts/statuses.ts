/**
 * The statuses each record moves through, and the predicates on them. The
 * services, the events and the web app all read them from here.
 */

/** A ticket: `available` → `reserved` (an order holds it) → `sold`, or back to `available` when the order ends unpaid. */
export const ticketStatuses = ['available', 'reserved', 'sold'] as const;
export type TicketStatus = (typeof ticketStatuses)[number];

/** An order: `created` (holding its ticket, awaiting payment) → `complete` (paid) or `cancelled` (by the buyer, or expired). */
export const orderStatuses = ['created', 'complete', 'cancelled'] as const;
export type OrderStatus = (typeof orderStatuses)[number];

/** A payment: `succeeded` (charged), then `refunded` if its order was cancelled after all. */
export const paymentStatuses = ['succeeded', 'refunded'] as const;
export type PaymentStatus = (typeof paymentStatuses)[number];

/** True while an order holds its ticket and may still be paid or cancelled. */
export function isOrderOpen(order: { status: OrderStatus }): boolean {
  return order.status === 'created';
}

/** True when an order still awaits payment and its window has not closed yet. */
export function isOrderPayable(order: { status: OrderStatus; expiresAt: string | Date }, now = Date.now()): boolean {
  return isOrderOpen(order) && new Date(order.expiresAt).getTime() > now;
}
