import { parseInput, signSessionToken, TooManyRequestsError } from '@gittix/common';
import { Router } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { z } from 'zod';
import type { Config } from '../config';
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

const FIFTEEN_MINUTES = 15 * 60 * 1000;

export function signInRouter(models: Models, config: Config): Router {
  const router = Router();
  // Counts failures only, per e-mail and client address: a guesser is slowed,
  // the owner signing in successfully is not. One store per app instance.
  const limiter = rateLimit({
    windowMs: FIFTEEN_MINUTES,
    limit: config.signinMaxFailures,
    skipSuccessfulRequests: true,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req) => {
      const body = req.body as { email?: unknown } | undefined;
      const email = typeof body?.email === 'string' ? body.email.trim().toLowerCase() : '';
      return `${ipKeyGenerator(req.ip ?? '')}|${email}`;
    },
    handler: (_req, _res, next) =>
      next(new TooManyRequestsError('Too many failed sign-in attempts, try again in 15 minutes')),
  });

  router.post('/api/users/signin', limiter, async (req, res) => {
    const { email, password } = parseInput(signInSchema, req.body);
    const user = await signIn(models, email, password);
    req.session = {
      jwt: signSessionToken(
        { id: user.id, email: user.email, username: user.username },
        config.jwtKey,
        config.jwtTtlSeconds,
      ),
    };
    res.status(200).json(user);
  });
  return router;
}
