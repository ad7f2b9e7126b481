import { randomUUID } from 'node:crypto';
import type { Express, RequestHandler } from 'express';
import type { Logger } from 'pino';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** The request id: the caller's `X-Request-Id` when it is a sane one, else a new UUID. */
      id: string;
      /** The service's logger with this request's id on every line. */
      log: Logger;
    }
  }
}

const requestIdPattern = /^[A-Za-z0-9._-]{1,128}$/;
const requestLogger = Symbol('requestLogger');

/**
 * Request ids and one line per request: what was asked, what was answered and
 * how long it took (`{ requestId, req: { method, url }, res: { statusCode },
 * responseTime }`, `request completed`, or `request aborted` when the client
 * went away first; 5xx at level error). Not every header: they cost more to
 * serialise than a lookup's own work, and they carry the session cookie.
 *
 * Lean on purpose, as it runs on every request: the id's child logger
 * (`req.log`) is made only when a route or the error handler logs, and the
 * line is built only when its level is enabled.
 */
export function requestLog(app: Express, logger: Logger): RequestHandler {
  // `app.request` is this app's own prototype of every request, so the getter
  // costs nothing per request until it is read.
  Object.defineProperty(app.request, 'log', {
    configurable: true,
    get(this: Express.Request & { [requestLogger]?: Logger }): Logger {
      let log = this[requestLogger];
      if (!log) {
        log = logger.child({ requestId: this.id });
        this[requestLogger] = log;
      }
      return log;
    },
  });
  return (req, res, next) => {
    const incoming = req.headers['x-request-id'];
    const id = typeof incoming === 'string' && requestIdPattern.test(incoming) ? incoming : randomUUID();
    req.id = id;
    res.setHeader('x-request-id', id);
    const started = performance.now();
    const done = () => {
      res.off('finish', done);
      res.off('close', done);
      const level = res.statusCode >= 500 ? 'error' : 'info';
      if (!logger.isLevelEnabled(level)) return;
      logger[level](
        {
          requestId: id,
          req: { method: req.method, url: req.originalUrl },
          res: { statusCode: res.statusCode },
          responseTime: Math.round((performance.now() - started) * 10) / 10,
        },
        res.writableFinished ? 'request completed' : 'request aborted',
      );
    };
    res.on('finish', done);
    res.on('close', done);
    next();
  };
}
