import { BadRequestError } from '@gittix/common/core';
import { isDuplicateKeyError } from '@gittix/common/db';
import type { SignUpBody } from '@gittix/common/contracts';
import type { Models } from '../models';
import type { UserDoc } from '../models/user';
import { hashPassword } from './password';

/** The e-mail's local part, fitted to the 2–20 character username rule. */
export function defaultUsername(email: string): string {
  const local = email.split('@')[0] ?? '';
  const fitted = local.slice(0, 20);
  return fitted.length >= 2 ? fitted : `${fitted}_user`;
}

/** Creates a user; the unique index decides between concurrent sign-ups with one e-mail. */
export async function signUp(models: Models, input: SignUpBody): Promise<UserDoc> {
  const email = input.email.trim().toLowerCase();
  try {
    return await models.User.create({
      email,
      username: input.username ?? defaultUsername(email),
      passwordHash: await hashPassword(input.password),
    });
  } catch (err) {
    if (isDuplicateKeyError(err)) throw new BadRequestError('Email in use', 'email');
    throw err;
  }
}
