import { z } from 'zod';
import { objectId } from './fields';

/** Published by payments once a charge was refunded (its order was, or became, cancelled). */
export const paymentRefundedSubject = 'payment:refunded' as const;
export const paymentRefundedSchema = z.object({
  id: objectId,
  orderId: objectId,
  stripeId: z.string().min(1),
});
export type PaymentRefundedEvent = z.infer<typeof paymentRefundedSchema>;
