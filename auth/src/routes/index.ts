import type { RateLimiter } from '@gittix/common/http';
import { Router } from 'express';
import type { Config } from '../config';
import type { AuthDeps } from '../domain/deps';
import { currentUserRouter } from './current-user';
import { signInRouter } from './signin';
import { signOutRouter } from './signout';
import { signUpRouter } from './signup';

/** Every route of the auth API. */
export function routes(deps: AuthDeps, config: Config, limiter: RateLimiter): Router {
  return Router().use(
    currentUserRouter(),
    signUpRouter(deps, config, limiter),
    signInRouter(deps, config, limiter),
    signOutRouter(deps),
  );
}
