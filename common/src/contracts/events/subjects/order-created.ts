import { z } from 'zod';
import { orderStatuses } from '../../statuses';
import { isoDate, objectId, price, priceCents, version } from './fields';

/** Published by orders when a buyer reserves a ticket. */
export const orderCreatedSubject = 'order:created' as const;
export const orderCreatedSchema = z.object({
  id: objectId,
  version,
  status: z.enum(orderStatuses),
  userId: objectId,
  expiresAt: isoDate,
  ticket: z.object({ id: objectId, price, priceCents }),
});
export type OrderCreatedEvent = z.infer<typeof orderCreatedSchema>;
