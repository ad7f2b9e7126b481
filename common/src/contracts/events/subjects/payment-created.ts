import { z } from 'zod';
import { objectId } from './fields';

/** Published by payments once a charge succeeded and the payment is stored. */
export const paymentCreatedSubject = 'payment:created' as const;
export const paymentCreatedSchema = z.object({
  id: objectId,
  orderId: objectId,
  stripeId: z.string().min(1),
});
export type PaymentCreatedEvent = z.infer<typeof paymentCreatedSchema>;
