/** One entry of the error body every service returns: `{ errors: [{ message, field? }] }`. */
export interface ErrorEntry {
  message: string;
  field?: string;
}

/**
 * The base of every error a request may end with. The error handler turns it
 * into its status and `{ errors }` body; anything else becomes a logged 500.
 */
export class HttpError extends Error {
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
export class BadRequestError extends HttpError {
  constructor(message: string, field?: string) {
    super(400, message, field);
  }
}

/** 400: input failed validation; one entry per field. */
export class RequestValidationError extends HttpError {
  constructor(readonly entries: ErrorEntry[]) {
    super(400, entries.map((e) => (e.field ? `${e.field}: ${e.message}` : e.message)).join('; '));
  }

  override serialize(): ErrorEntry[] {
    return this.entries;
  }
}

/** 401: not signed in. */
export class NotAuthorizedError extends HttpError {
  constructor(message = 'Not authorized') {
    super(401, message);
  }
}

/** 403: signed in but not allowed. */
export class ForbiddenError extends HttpError {
  constructor(message = 'Forbidden') {
    super(403, message);
  }
}

/** 404: unknown resource or route. */
export class NotFoundError extends HttpError {
  constructor(message = 'Not found') {
    super(404, message);
  }
}

/** 413: request body over the limit. */
export class PayloadTooLargeError extends HttpError {
  constructor(message = 'Request body is too large') {
    super(413, message);
  }
}

/** 429: rate limited; `Retry-After` tells the client when it may try again. */
export class TooManyRequestsError extends HttpError {
  constructor(
    message = 'Too many requests, try again later',
    readonly retryAfterSeconds = 60,
  ) {
    super(429, message);
  }
}

/** 500: deliberately raised for a broken invariant; the message reaching the client stays generic. */
export class InternalError extends HttpError {
  constructor(message = 'Something went wrong') {
    super(500, message);
  }
}
