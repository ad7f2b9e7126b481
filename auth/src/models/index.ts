import type { Connection } from 'mongoose';
import { createUserModel, type UserModel } from './user';

export interface Models {
  User: UserModel;
}

/** Binds the models to a connection and makes sure their indexes exist (the unique e-mail index is a rule, not an optimisation). */
export async function createModels(connection: Connection): Promise<Models> {
  const User = createUserModel(connection);
  await User.createIndexes();
  return { User };
}
