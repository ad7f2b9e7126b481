import { outboxFields, type PendingEvent } from '@gittix/common/db';
import { Schema, type Connection, type Model } from 'mongoose';

/**
 * One signed-in session: what a token's `sid` names. A token is valid only
 * while its session is stored and not revoked; signing out revokes it and
 * queues session:revoked (the outbox) so the other services refuse it too.
 */
export interface SessionAttrs {
  /** The session id (random, URL-safe), carried in the token as `sid`. */
  _id: string;
  userId: string;
  /** When the token expires: kept until then, then swept. */
  expiresAt: Date;
  revokedAt: Date | null;
  pendingEvents: PendingEvent[];
  outboxPending: boolean;
}

export type SessionModel = Model<SessionAttrs>;

const sessionSchema = new Schema<SessionAttrs>(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true },
    expiresAt: { type: Date, required: true },
    revokedAt: { type: Date, default: null },
    ...outboxFields,
  },
  { versionKey: false, timestamps: true },
);

// Sign-out everywhere finds a user's live sessions.
sessionSchema.index({ userId: 1, revokedAt: 1 }, { name: 'by_user' });

export function createSessionModel(connection: Connection): SessionModel {
  return connection.model<SessionAttrs>('Session', sessionSchema);
}
