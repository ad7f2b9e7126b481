import { signUpSchema } from '@gittix/common/contracts';
import { clientKey, parseInput, type RateLimiter } from '@gittix/common/http';
import { Router } from 'express';
import type { Config } from '../config';
import type { AuthDeps } from '../domain/deps';
import { startSession } from '../domain/sessions';
import { signUp } from '../domain/sign-up';

/** POST /api/users/signup: a new account (201), signed in at once. */
export function signUpRouter(deps: AuthDeps, config: Config, limiter: RateLimiter): Router {
  // Every attempt counts (an "Email in use" answer is what an address harvester wants).
  const perAddress = {
    name: 'signup-ip',
    limit: config.limits.signupsPerIpPerHour,
    windowMs: 60 * 60 * 1000,
    message: 'Too many sign-ups from this address, try again later',
  };
  return Router().post('/api/users/signup', async (req, res) => {
    await limiter.enforce(perAddress, clientKey(req.ip));
    const input = parseInput(signUpSchema, req.body);
    const user = await signUp(deps.models, input);
    req.session = { jwt: await startSession(deps, user) };
    res.status(201).json(user);
  });
}
