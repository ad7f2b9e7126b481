import { z } from 'zod';
import { objectId, version } from './fields';

/** Published by orders when a buyer cancels or the reservation expires. */
export const orderCancelledSubject = 'order:cancelled' as const;
export const orderCancelledSchema = z.object({
  id: objectId,
  version,
  ticket: z.object({ id: objectId }),
});
export type OrderCancelledEvent = z.infer<typeof orderCancelledSchema>;
