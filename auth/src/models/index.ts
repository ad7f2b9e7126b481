import type { Connection } from 'mongoose';
import { createSessionModel, type SessionModel } from './session';
import { createUserModel, type UserModel } from './user';

export interface Models {
  User: UserModel;
  Session: SessionModel;
}

/** Binds the models to a connection and makes sure their indexes exist (the unique e-mail index is a rule, not an optimisation). */
export async function createModels(connection: Connection): Promise<Models> {
  const User = createUserModel(connection);
  const Session = createSessionModel(connection);
  await Promise.all([User.createIndexes(), Session.createIndexes()]);
  return { User, Session };
}
