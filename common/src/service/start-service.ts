import type { Server } from 'node:http';
import { Router, type Express } from 'express';
import type { EventBus } from '../bus/event-bus';
import type { DeadLetterSink, Listener } from '../bus/listener';
import { connectNatsStreaming } from '../bus/nats-streaming-bus';
import type { Subject } from '../contracts/events';
import type { ServiceConfig } from '../core/config';
import { ServiceUnavailableError } from '../core/errors';
import { createLogger, type Logger } from '../core/logger';
import { closeServer, createHttpApp, listen } from '../http/http-app';
import type { RevocationCheck } from '../http/middlewares/current-user';

type Env = Record<string, string | undefined>;

/** What a service's `wire` gets: its config, logger and bus, and where to register what it opens. */
export interface ServiceContext<C> {
  /** The service's name, in its log lines and the keys it shares with other services (rate-limit counters). */
  name: string;
  config: C;
  logger: Logger;
  bus: EventBus;
  /** Registers how to close something `wire` opened; everything closes in reverse order of opening. */
  onStop(stop: () => unknown): void;
  /** Adds a condition of `/readyz` (the bus is one already). */
  readyWhen(check: () => boolean): void;
}

/** What a service is made of, once wired. */
export interface ServiceParts<D> {
  /** What its domain functions need (models, outbox, clients…); tests reach them as `service.deps`. */
  deps: D;
  /** Its listeners, each a Listener subclass: the one place that lists what it hears. */
  listeners?: Listener<Subject, unknown>[];
  /** Where those listeners park what fails every delivery. */
  deadLetters?: DeadLetterSink;
  /** Its API; absent for a service with only health probes (expiration). */
  routes?: Router;
  /** How signed-out sessions are recognised, for a service that reads the session cookie. */
  isSessionRevoked?: RevocationCheck;
}

/** A service, declared once: `index.ts` runs it, the tests start it in-process. */
export interface ServiceSpec<C extends ServiceConfig, D> {
  name: string;
  loadConfig(env?: Env): C;
  /** Opens what the service keeps its state in and builds its parts, registering each thing's stop on `ctx`. */
  wire(ctx: ServiceContext<C>): Promise<ServiceParts<D>>;
  /**
   * How long a stop may take before the process exits anyway. Longer than the
   * slowest in-flight work (payments: a Stripe call); the Deployment's
   * terminationGracePeriodSeconds is longer still.
   */
  stopTimeoutMs?: number;
}

/** A started service. */
export interface RunningService<C, D> {
  config: C;
  logger: Logger;
  bus: EventBus;
  deps: D;
  app: Express;
  /** The bound server (absent when started with `listen: false`). */
  server?: Server;
  /** Stops everything the start opened, in reverse order. */
  stop(): Promise<void>;
}

/** What tests (or another host) may put in place of the real thing. */
export interface StartOverrides {
  env?: Env;
  /** Another name than the spec's (tests: so files never share rate-limit counters). */
  name?: string;
  logger?: Logger;
  /** A bus already connected (a test's recording bus); otherwise NATS Streaming from the config. */
  bus?: EventBus;
  /** False: build the app without binding a port (supertest drives it). */
  listen?: boolean;
}

/**
 * How long the bus may be gone before `/healthz` fails: it reconnects on its
 * own; past this, a restart is the better bet.
 */
const busGraceMs = 60_000;

/**
 * Starts a service: config and logger, then its HTTP port, then the bus and
 * whatever `wire` opens (its database, with its index builds and first outbox
 * sweep; clients; background work) and its listeners. The port is bound
 * first, so the probes answer while the slow start-up work runs: `/healthz`
 * 200 (alive, not to be restarted), `/readyz` 503 until everything is
 * connected, and any API route 503 "starting up". If a step fails, what was
 * opened before it is closed again.
 */
export async function startService<C extends ServiceConfig, D>(
  spec: ServiceSpec<C, D>,
  overrides: StartOverrides = {},
): Promise<RunningService<C, D>> {
  const config = spec.loadConfig(overrides.env ?? process.env);
  const logger = overrides.logger ?? createLogger({ service: spec.name, level: config.logLevel });
  const stops: Array<() => unknown> = [];
  const readiness: Array<() => boolean> = [];
  const stop = async () => {
    for (const close of stops.splice(0).reverse()) await close();
  };
  let bus: EventBus | undefined;
  let parts: ServiceParts<D> | undefined;
  // The service's routes once wired; until then every API request is told to come back.
  const routes = Router().use((req, res, next) => {
    if (!parts) next(new ServiceUnavailableError(`${spec.name} is starting up; try again in a moment`));
    else if (parts.routes) parts.routes(req, res, next);
    else next();
  });
  const app = createHttpApp({
    logger,
    jwtKey: config.session?.jwtKey,
    cookieSecure: config.session?.cookieSecure,
    // Before `wire`, no route runs (above), so nothing depends on this answer.
    isSessionRevoked: (sessionId) => parts?.isSessionRevoked?.(sessionId) ?? Promise.resolve(false),
    isReady: () => parts !== undefined && readiness.every((check) => check()),
    isAlive: () => !bus || bus.disconnectedForMs() < busGraceMs,
    routes,
  });
  try {
    let server: Server | undefined;
    if (overrides.listen !== false) {
      const bound = await listen(app, config.port);
      server = bound;
      stops.push(() => closeServer(bound));
      logger.info({ port: config.port }, `${spec.name} listening`);
    }
    const connected =
      overrides.bus ??
      (await connectNatsStreaming({
        url: config.nats.url,
        clusterId: config.nats.clusterId,
        clientId: config.nats.clientId,
        token: config.nats.token,
        logger,
      }));
    bus = connected;
    if (!overrides.bus) stops.push(() => connected.close());
    readiness.push(() => connected.isConnected());
    const ctx: ServiceContext<C> = {
      name: overrides.name ?? spec.name,
      config,
      logger,
      bus: connected,
      onStop: (close) => stops.push(close),
      readyWhen: (check) => readiness.push(check),
    };
    const wired = await spec.wire(ctx);
    const subscriptions = await Promise.all(
      (wired.listeners ?? []).map((listener) => listener.listen(connected, logger, { deadLetters: wired.deadLetters })),
    );
    stops.push(() => Promise.all(subscriptions.map((subscription) => subscription.close())));
    parts = wired;
    logger.info(`${spec.name} started`);
    return { config, logger, bus: connected, deps: wired.deps, app, server, stop };
  } catch (err) {
    await stop().catch((stopErr: unknown) => logger.warn({ err: stopErr }, 'closing after a failed start failed'));
    throw err;
  }
}
