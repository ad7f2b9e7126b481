import { z } from 'zod';
import { objectId } from './fields';

/** Published by expiration when an order's reservation window has passed. */
export const expirationCompleteSubject = 'expiration:complete' as const;
export const expirationCompleteSchema = z.object({ orderId: objectId });
export type ExpirationCompleteEvent = z.infer<typeof expirationCompleteSchema>;
