/**
 * @gittix/common/http: the Express side every service shares — the app with
 * its probes, request logging, session cookie and one error handler; input
 * parsing; the signed-in user; rate limits; and paged answers.
 */
export { createHttpApp, listen, closeServer, type HttpAppOptions } from './http-app';
export { currentUser, type RevocationCheck } from './middlewares/current-user';
export { requestLog } from './middlewares/request-log';
export { requireAuth, signedInUser } from './middlewares/require-auth';
export { parseInput, parseObjectId } from './parse-input';
export { sendPage } from './pagination';
export { RateLimiter, clientKey, openRateLimiter, type RateLimitRule, type RateLimitResult } from './rate-limit';
export { connectRedis } from './redis';
