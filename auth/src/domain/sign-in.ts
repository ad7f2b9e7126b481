import { BadRequestError } from '@gittix/common/core';
import type { Models } from '../models';
import type { UserDoc } from '../models/user';
import { verifyAgainstDummy, verifyPassword } from './password';

/** One message for an unknown e-mail and a wrong password, so neither reveals which accounts exist. */
export const invalidCredentials = 'Invalid credentials';

export async function signIn(models: Models, email: string, password: string): Promise<UserDoc> {
  const user = await models.User.findOne({ email: email.trim().toLowerCase() });
  const ok = user ? await verifyPassword(password, user.passwordHash) : await verifyAgainstDummy(password);
  if (!user || !ok) throw new BadRequestError(invalidCredentials);
  return user;
}
