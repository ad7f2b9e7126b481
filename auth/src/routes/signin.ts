import { clientKey, parseInput, signSessionToken, TooManyRequestsError, type RateLimiter } from '@gittix/common';
import { Router } from 'express';
import { z } from 'zod';
import type { Config } from '../config';
import { startSession } from '../domain/sessions';
import { signIn } from '../domain/sign-in';
import type { Models } from '../models';

export const signInSchema = z.object({
  email: z
    .string({ error: 'Email must be provided' })
    .trim()
    .min(1, 'Email must be provided')
    .max(254, 'Email is too long'),
  password: z
    .string({ error: 'Password must be provided' })
    .min(1, 'Password must be provided')
    .max(128, 'Password is too long'),
});

const fifteenMinutes = 15 * 60 * 1000;
const lockedOut = 'Too many failed sign-in attempts, try again later';

export function signInRouter(models: Models, config: Config, limiter: RateLimiter): Router {
  const router = Router();
  // Failures only count, per account and per client address, both: a guesser
  // is stopped whether they try many passwords on one account or one password
  // on many accounts; the owner signing in successfully is not counted.
  const perAccount = {
    name: 'failed-signin-account',
    limit: config.limits.signinFailuresPerAccount,
    windowMs: fifteenMinutes,
    message: lockedOut,
  };
  const perAddress = {
    name: 'failed-signin-ip',
    limit: config.limits.signinFailuresPerIp,
    windowMs: fifteenMinutes,
    message: lockedOut,
  };

  router.post('/api/users/signin', async (req, res) => {
    const { email, password } = parseInput(signInSchema, req.body);
    const account = email.toLowerCase();
    const address = clientKey(req.ip);
    // Counted before the password is checked, so concurrent guesses cannot slip past the limit.
    const [byAccount, byAddress] = await Promise.all([
      limiter.hit(perAccount, account),
      limiter.hit(perAddress, address),
    ]);
    if (!byAccount.allowed || !byAddress.allowed) {
      const wait = Math.max(
        byAccount.allowed ? 0 : byAccount.retryAfterSeconds,
        byAddress.allowed ? 0 : byAddress.retryAfterSeconds,
      );
      throw new TooManyRequestsError(lockedOut, wait);
    }
    const user = await signIn(models, email, password);
    await Promise.all([limiter.undo(perAccount, account), limiter.undo(perAddress, address)]);
    const sessionId = await startSession(models, user.id, config.jwtTtlSeconds);
    req.session = {
      jwt: signSessionToken(
        { id: user.id, email: user.email, username: user.username },
        sessionId,
        config.jwtKey,
        config.jwtTtlSeconds,
      ),
    };
    res.status(200).json(user);
  });
  return router;
}
