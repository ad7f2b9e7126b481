/** One entry of the error body every service returns: `{ errors: [{ message, field? }] }`. */
export interface ErrorEntry {
  message: string;
  field?: string;
}

/**
 * The base of every error a rule may end a request with. Each carries the
 * status it stands for (the classic design's "custom error" with a status
 * code): domain code throws them without knowing about HTTP, and the one error
 * handler turns them into that status and the `{ errors }` body. Anything else
 * becomes a logged 500.
 */
export class AppError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }

  serialize(): ErrorEntry[] {
    return [this.field === undefined ? { message: this.message } : { message: this.message, field: this.field }];
  }
}

/** 400: a business rule refused the request ("Ticket is already reserved"). */
export class BadRequestError extends AppError {
  constructor(message: string, field?: string) {
    super(400, message, field);
  }
}

/** 400: input failed validation; one entry per field. */
export class RequestValidationError extends AppError {
  constructor(readonly entries: ErrorEntry[]) {
    super(400, entries.map((e) => (e.field ? `${e.field}: ${e.message}` : e.message)).join('; '));
  }

  override serialize(): ErrorEntry[] {
    return this.entries;
  }
}

/** 401: not signed in. */
export class NotAuthorizedError extends AppError {
  constructor(message = 'Not authorized') {
    super(401, message);
  }
}

/** 403: signed in but not allowed. */
export class ForbiddenError extends AppError {
  constructor(message = 'Forbidden') {
    super(403, message);
  }
}

/** 404: unknown resource or route. */
export class NotFoundError extends AppError {
  constructor(message = 'Not found') {
    super(404, message);
  }
}

/** 429: rate limited; `Retry-After` tells the client when it may try again. */
export class TooManyRequestsError extends AppError {
  constructor(
    message = 'Too many requests, try again later',
    readonly retryAfterSeconds = 60,
  ) {
    super(429, message);
  }
}

/** 500: deliberately raised for a broken invariant; the message reaching the client stays generic. */
export class InternalError extends AppError {
  constructor(message = 'Something went wrong') {
    super(500, message);
  }
}

/** 503: the service is up but cannot serve yet (it is still starting). */
export class ServiceUnavailableError extends AppError {
  constructor(message = 'Service unavailable; try again in a moment') {
    super(503, message);
  }
}

/** 409: another writer changed the record at the same moment, every time this one tried. */
export class ConflictError extends AppError {
  constructor(message = 'The record was changed at the same time; try again') {
    super(409, message);
  }
}

/**
 * Thrown by a handler when the message is valid but cannot be applied yet (a
 * replica is behind the event's version). The message is not acked, so the
 * server redelivers it; the base Listener (bus/listener.ts) logs it at debug level, not as an error.
 */
export class NotYetApplicableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotYetApplicableError';
  }
}
