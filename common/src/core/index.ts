/**
 * @gittix/common/core: what every service needs before anything else — its
 * configuration, its logger and the errors its rules throw.
 */
export {
  AppError,
  BadRequestError,
  ConflictError,
  ForbiddenError,
  InternalError,
  NotYetApplicableError,
  NotAuthorizedError,
  NotFoundError,
  RequestValidationError,
  TooManyRequestsError,
  type ErrorEntry,
} from './errors';
export {
  ConfigError,
  configFields,
  defineConfig,
  durationToSeconds,
  parseConfig,
  type MongoConfig,
  type NatsConfig,
  type ServiceConfig,
  type SessionConfig,
} from './config';
export { coalesceReads } from './coalesce';
export { createRevocationCache, type RevocationCache } from './revocation-cache';
export { createLogger, redactedPaths, type Logger, type LoggerOptions } from './logger';
export { newSessionId, signSessionToken, verifySessionToken, type UserPayload } from './session-token';
