import { baseSchemaOptions } from '@gittix/common/db';
import { Schema, type Connection, type HydratedDocument, type Model } from 'mongoose';

export interface UserAttrs {
  email: string;
  username: string;
  /** `scrypt$<salt hex>$<hash hex>`; never leaves this service. */
  passwordHash: string;
}

export type UserDoc = HydratedDocument<UserAttrs>;
export type UserModel = Model<UserAttrs>;

const userSchema = new Schema<UserAttrs>(
  {
    // Stored lower-cased; the unique index makes concurrent sign-ups with one e-mail give one user.
    email: { type: String, required: true, lowercase: true, trim: true, unique: true },
    username: { type: String, required: true },
    passwordHash: { type: String, required: true },
  },
  {
    ...baseSchemaOptions,
    toJSON: {
      transform: (_doc, ret: Record<string, unknown>) => ({
        id: String(ret._id),
        email: ret.email,
        username: ret.username,
      }),
    },
  },
);

export function createUserModel(connection: Connection): UserModel {
  return connection.model<UserAttrs>('User', userSchema);
}
