import type { Server } from 'node:http';
import cookieSession from 'cookie-session';
import express, { type Express, type Router } from 'express';
import type { Logger } from 'pino';
import { currentUser, type RevocationCheck } from './middlewares/current-user';
import { errorHandler, notFound } from './middlewares/error-handler';
import { requestLog } from './middlewares/request-log';

export interface HttpAppOptions {
  logger: Logger;
  /**
   * Key of the session JWT. Without it the app has no session cookie and no
   * `currentUser` (a service with only health probes, like expiration).
   */
  jwtKey?: string;
  /** Marks the session cookie `secure` (HTTPS only). */
  cookieSecure?: boolean;
  /** Which sessions were signed out; a revoked session's cookie means anonymous. */
  isSessionRevoked?: RevocationCheck;
  /** `/readyz` answers 200 only while this is true (database and bus connected). */
  isReady: () => boolean;
  /**
   * `/healthz` answers 200 while this is true (the default): false when the
   * process cannot recover on its own (its bus has been gone for too long), so
   * the orchestrator restarts it.
   */
  isAlive?: () => boolean;
  /** The service's routes, mounted after the shared middlewares. */
  routes?: Router;
  /** Largest JSON body accepted; larger ones get a 413. */
  bodyLimit?: string;
}

/**
 * The Express app every service shares: request ids and request logging,
 * health probes, JSON body parsing, the session cookie and `currentUser` (when
 * given a `jwtKey`), then the service's routes, a 404 for anything else and the
 * one error handler.
 */
export function createHttpApp(options: HttpAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  // Exactly one proxy sits in front: the Ingress controller (cluster) or the local
  // gateway, and each overwrites X-Forwarded-For with the address it saw. So the
  // client is the entry that one hop added, never one a client wrote itself, and
  // X-Forwarded-Proto from that hop says whether the browser used HTTPS.
  app.set('trust proxy', 1);

  app.get('/healthz', (_req, res) => {
    if (options.isAlive?.() === false)
      res.status(503).json({ errors: [{ message: 'Not alive: the event bus has been unreachable for too long' }] });
    else res.json({ status: 'ok' });
  });
  app.get('/readyz', (_req, res) => {
    if (options.isReady()) res.json({ status: 'ready' });
    else res.status(503).json({ errors: [{ message: 'Not ready: database or event bus not connected' }] });
  });

  app.use(requestLog(app, options.logger));
  app.use(express.json({ limit: options.bodyLimit ?? '100kb' }));
  if (options.jwtKey !== undefined) {
    app.use(
      cookieSession({
        name: 'session',
        signed: false,
        httpOnly: true,
        sameSite: 'lax',
        secure: options.cookieSecure ?? false,
      }),
    );
    app.use(currentUser(options.jwtKey, options.isSessionRevoked));
  }
  if (options.routes) app.use(options.routes);
  app.use(notFound);
  app.use(errorHandler);
  return app;
}

/**
 * How long an idle keep-alive connection stays open. Longer than the proxy in
 * front keeps its idle upstream connections (ingress-nginx: 60 s; the local
 * gateway closes them a second before this hint): if the service closed first
 * (Node's default is 5 s), a request the proxy sends on a connection at that
 * moment fails with a reset, a 502 the client did nothing to cause.
 */
const keepAliveTimeoutMs = 65_000;

/** Starts listening; resolves with the server once the port is bound. */
export function listen(app: Express, port: number, host?: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host ?? '0.0.0.0', (err?: Error) => (err ? reject(err) : resolve(server)));
    server.keepAliveTimeout = keepAliveTimeoutMs;
    // Above the keep-alive timeout, so a slow request's headers never race it.
    server.headersTimeout = keepAliveTimeoutMs + 1000;
    server.once('error', reject);
  });
}

/** Stops accepting connections and waits for in-flight requests (keep-alive sockets are closed). */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
    // Do not wait for ever on a slow client.
    setTimeout(() => {
      server.closeAllConnections();
    }, 5000).unref();
  });
}
