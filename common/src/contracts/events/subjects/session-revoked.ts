import { z } from 'zod';
import { isoDate, objectId } from './fields';

/**
 * Published by auth when a session ends before its token expires (sign-out, or
 * sign-out everywhere, one event per session). Every service that reads the
 * session cookie keeps the id until `expiresAt` and treats the token as signed out.
 */
export const sessionRevokedSubject = 'session:revoked' as const;
export const sessionRevokedSchema = z.object({
  sessionId: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, 'must be a session id'),
  userId: objectId,
  expiresAt: isoDate,
});
export type SessionRevokedEvent = z.infer<typeof sessionRevokedSchema>;
