import { clientKey, parseInput, signSessionToken, type RateLimiter } from '@gittix/common';
import { Router } from 'express';
import { z } from 'zod';
import type { Config } from '../config';
import { startSession } from '../domain/sessions';
import { signUp } from '../domain/sign-up';
import type { Models } from '../models';

export const signUpSchema = z.object({
  email: z
    .string({ error: 'Email must be a valid email address' })
    .trim()
    .max(254, 'Email is too long')
    .pipe(z.email('Email must be a valid email address')),
  // Not trimmed: spaces are part of a password.
  password: z
    .string({ error: 'Password must be a string of 8 to 128 characters' })
    .min(8, 'Password must be at least 8 characters')
    .max(128, 'Password must be at most 128 characters'),
  username: z
    .string({ error: 'Username must be a string of 2 to 20 characters' })
    .trim()
    .min(2, 'Username must be at least 2 characters')
    .max(20, 'Username must be at most 20 characters')
    .optional(),
});

export function signUpRouter(models: Models, config: Config, limiter: RateLimiter): Router {
  const router = Router();
  // Every attempt counts (an "Email in use" answer is what an address harvester wants).
  const perAddress = {
    name: 'signup-ip',
    limit: config.limits.signupsPerIpPerHour,
    windowMs: 60 * 60 * 1000,
    message: 'Too many sign-ups from this address, try again later',
  };
  router.post('/api/users/signup', async (req, res) => {
    await limiter.enforce(perAddress, clientKey(req.ip));
    const input = parseInput(signUpSchema, req.body);
    const user = await signUp(models, input);
    const sessionId = await startSession(models, user.id, config.jwtTtlSeconds);
    req.session = {
      jwt: signSessionToken(
        { id: user.id, email: user.email, username: user.username },
        sessionId,
        config.jwtKey,
        config.jwtTtlSeconds,
      ),
    };
    res.status(201).json(user);
  });
  return router;
}
