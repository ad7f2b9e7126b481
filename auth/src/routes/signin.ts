import { signInSchema } from '@gittix/common/contracts';
import { TooManyRequestsError } from '@gittix/common/core';
import { clientKey, parseInput, type RateLimiter } from '@gittix/common/http';
import { Router } from 'express';
import type { Config } from '../config';
import type { AuthDeps } from '../domain/deps';
import { startSession } from '../domain/sessions';
import { signIn } from '../domain/sign-in';

const fifteenMinutes = 15 * 60 * 1000;
const lockedOut = 'Too many failed sign-in attempts, try again later';

/** POST /api/users/signin: a user signs in (200) and gets a new session cookie. */
export function signInRouter(deps: AuthDeps, config: Config, limiter: RateLimiter): Router {
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

  return Router().post('/api/users/signin', async (req, res) => {
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
    const user = await signIn(deps.models, email, password);
    await Promise.all([limiter.undo(perAccount, account), limiter.undo(perAddress, address)]);
    req.session = { jwt: await startSession(deps, user) };
    res.status(200).json(user);
  });
}
