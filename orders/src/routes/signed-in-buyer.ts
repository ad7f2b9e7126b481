import { NotAuthorizedError, signedInUser, type UserPayload } from '@gittix/common';
import type { Request } from 'express';
import { isValidObjectId } from 'mongoose';

/** The signed-in user, whose id must be an ObjectId (auth issues nothing else); anything else is treated as not signed in. */
export function signedInBuyer(req: Request): UserPayload {
  const user = signedInUser(req);
  if (!/^[0-9a-f]{24}$/i.test(user.id) || !isValidObjectId(user.id)) throw new NotAuthorizedError();
  return user;
}
