import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError, NotFoundError, TooManyRequestsError } from '../../core/errors';

interface BodyParserError {
  type?: string;
  status?: number;
  expose?: boolean;
}

/** A database that cannot be reached right now (the driver's network and server-selection errors). */
function isUnavailable(err: unknown): boolean {
  const name = typeof err === 'object' && err !== null ? (err as { name?: unknown }).name : undefined;
  return (
    name === 'MongoNetworkError' ||
    name === 'MongoServerSelectionError' ||
    name === 'MongoNetworkTimeoutError' ||
    name === 'MongoNotConnectedError' ||
    name === 'MongooseServerSelectionError'
  );
}

/** 404 for every route no router answered. */
export const notFound: RequestHandler = (_req, _res, next) => next(new NotFoundError('Route not found'));

/**
 * Turns any thrown value into `{ errors: [{ message, field? }] }`. Known errors
 * keep their status; body-parser failures become 400/413/415; anything else is
 * a 500 whose message says nothing internal, logged with the request id.
 */
export const errorHandler: ErrorRequestHandler = (err: unknown, req, res, next) => {
  if (res.headersSent) {
    next(err);
    return;
  }
  if (err instanceof AppError) {
    if (err.statusCode >= 500) req.log.error({ err }, 'request failed');
    if (err instanceof TooManyRequestsError) res.setHeader('Retry-After', String(err.retryAfterSeconds));
    res.status(err.statusCode).json({ errors: err.serialize() });
    return;
  }
  const parserError = (typeof err === 'object' && err !== null ? err : {}) as BodyParserError;
  switch (parserError.type) {
    case 'entity.parse.failed':
      res.status(400).json({ errors: [{ message: 'Malformed JSON in request body' }] });
      return;
    case 'entity.too.large':
      res.status(413).json({ errors: [{ message: 'Request body is too large' }] });
      return;
    case 'encoding.unsupported':
    case 'charset.unsupported':
      res.status(415).json({ errors: [{ message: 'Unsupported request body encoding' }] });
      return;
    case 'request.aborted':
    case 'request.size.invalid':
      res.status(400).json({ errors: [{ message: 'Request body was incomplete' }] });
      return;
  }
  if (parserError.expose && parserError.status && parserError.status >= 400 && parserError.status < 500) {
    res.status(parserError.status).json({ errors: [{ message: 'Bad request' }] });
    return;
  }
  if (isUnavailable(err)) {
    // The database is restarting or unreachable: a retry will do, and the client should be told so.
    req.log.warn({ err }, 'database unavailable');
    res.setHeader('Retry-After', '5');
    res.status(503).json({ errors: [{ message: 'The service is temporarily unavailable; please try again shortly' }] });
    return;
  }
  req.log.error({ err }, 'unexpected error');
  res.status(500).json({ errors: [{ message: 'Something went wrong' }] });
};
