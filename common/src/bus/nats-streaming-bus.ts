import nats from 'node-nats-streaming';
import type { Logger } from 'pino';
import type { BusMessage, BusSubscription, EventBus, MessageHandler, SubscribeOptions } from './event-bus';

export interface NatsStreamingOptions {
  url: string;
  clusterId: string;
  /** Unique per process (the pod name in a cluster). */
  clientId: string;
  /** The server's client token, when it requires one. */
  token?: string;
  logger: Logger;
  /** Connection attempts at start before giving up (a server still starting is normal). */
  connectAttempts?: number;
  /** Delay between attempts, doubled each time up to 5 s (at start and when reconnecting). */
  retryDelayMs?: number;
  /** How long one publish may wait for the server's ack. */
  publishTimeoutMs?: number;
}

interface Registered {
  subject: string;
  options: SubscribeOptions;
  handler: MessageHandler;
  current?: nats.Subscription;
}

/**
 * The event bus over NATS Streaming (node-nats-streaming). Create it with
 * {@link connectNatsStreaming}.
 *
 * It survives outages on its own (docs/decisions/0032-recovery-from-failures.md):
 * when the streaming session is lost (the server died, was paused, or dropped
 * this client after missed heartbeats), it connects again with backoff under
 * the same client id and re-subscribes every durable subscription, which then
 * resumes where it left off. While it is disconnected, publishing rejects at
 * once (the outbox keeps the events and publishes them once the bus is back:
 * see {@link onReconnect}), `isConnected()` is false (`/readyz` answers 503)
 * and `disconnectedForMs()` grows (`/healthz` fails past a bound, so an
 * orchestrator restarts a process that cannot recover).
 */
export class NatsStreamingBus implements EventBus {
  private stan: nats.Stan;
  private connected = true;
  /** The streaming session is gone and a new one is being made. */
  private reconnecting = false;
  private closing = false;
  private disconnectedAt: number | undefined;
  private readonly registered = new Set<Registered>();
  private readonly reconnectListeners: Array<() => void> = [];

  constructor(
    stan: nats.Stan,
    private readonly options: NatsStreamingOptions,
  ) {
    this.stan = stan;
    this.attach(stan);
  }

  private get logger(): Logger {
    return this.options.logger;
  }

  private attach(stan: nats.Stan): void {
    stan.on('connection_lost', (err: unknown) => {
      if (stan !== this.stan) return;
      this.logger.error({ err }, 'NATS Streaming session lost; connecting again');
      this.sessionLost(stan);
    });
    stan.on('disconnect', () => {
      if (stan !== this.stan) return;
      this.markDisconnected();
      this.logger.warn('NATS disconnected; reconnecting');
    });
    stan.on('reconnect', () => {
      if (stan !== this.stan || this.reconnecting) return;
      // The server came back soon enough to remember this client: the session and
      // its subscriptions carry on. What failed to publish meanwhile is in the outbox.
      this.connected = true;
      this.disconnectedAt = undefined;
      this.logger.info('NATS reconnected; the streaming session carried on');
      for (const listener of this.reconnectListeners) listener();
    });
    stan.on('close', () => {
      if (stan !== this.stan || this.closing) return;
      this.logger.error('NATS Streaming connection closed unexpectedly; connecting again');
      this.sessionLost(stan);
    });
    stan.on('error', (err: unknown) => this.logger.error({ err }, 'NATS Streaming error'));
  }

  private markDisconnected(): void {
    this.connected = false;
    this.disconnectedAt ??= Date.now();
  }

  private sessionLost(stan: nats.Stan): void {
    this.markDisconnected();
    if (this.reconnecting || this.closing) return;
    this.reconnecting = true;
    for (const entry of this.registered) entry.current = undefined;
    try {
      stan.removeAllListeners();
      stan.on('error', () => undefined);
      stan.close();
    } catch {
      /* already closed */
    }
    void this.reconnect();
  }

  private async reconnect(): Promise<void> {
    let delay = this.options.retryDelayMs ?? 250;
    for (let attempt = 1; !this.closing; attempt++) {
      try {
        const stan = await connectOnce(this.options);
        if (this.closing) {
          stan.close();
          return;
        }
        this.stan = stan;
        this.attach(stan);
        for (const entry of this.registered) await this.open(entry);
        const outage = Date.now() - (this.disconnectedAt ?? Date.now());
        this.connected = true;
        this.reconnecting = false;
        this.disconnectedAt = undefined;
        this.logger.info(
          { attempt, outageMs: outage, subscriptions: this.registered.size },
          'NATS Streaming connected again; subscriptions resumed',
        );
        for (const listener of this.reconnectListeners) listener();
        return;
      } catch (err) {
        if (attempt === 1 || attempt % 10 === 0)
          this.logger.warn({ err, attempt }, 'NATS Streaming still unreachable; retrying');
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(delay * 2, 5000);
      }
    }
  }

  isConnected(): boolean {
    return this.connected && !this.reconnecting && !this.closing;
  }

  /** How long the bus has been unable to deliver (0 while connected). */
  disconnectedForMs(now = Date.now()): number {
    return this.disconnectedAt === undefined ? 0 : now - this.disconnectedAt;
  }

  /** Calls `listener` each time the bus is connected again after an outage (the outbox sweeps then). */
  onReconnect(listener: () => void): void {
    this.reconnectListeners.push(listener);
  }

  publish(subject: string, data: unknown): Promise<void> {
    if (!this.isConnected()) return Promise.reject(new Error('NATS Streaming is not connected'));
    return new Promise((resolve, reject) => {
      try {
        this.stan.publish(subject, JSON.stringify(data), (err) => (err ? reject(err) : resolve()));
      } catch (err) {
        // node-nats-streaming throws synchronously when the connection is closed.
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
  }

  async subscribe(subject: string, options: SubscribeOptions, handler: MessageHandler): Promise<BusSubscription> {
    const entry: Registered = { subject, options, handler };
    await this.open(entry);
    this.registered.add(entry);
    return { close: () => this.closeSubscription(entry) };
  }

  /** Opens (or reopens, after a reconnect) the durable subscription of an entry. */
  private open(entry: Registered): Promise<void> {
    const { subject, options, handler } = entry;
    const subOptions = this.stan
      .subscriptionOptions()
      .setManualAckMode(true)
      .setAckWait(options.ackWaitMs)
      .setDeliverAllAvailable()
      .setDurableName(options.queueGroup);
    if (options.maxInFlight !== undefined) subOptions.setMaxInFlight(options.maxInFlight);

    const sub = this.stan.subscribe(subject, options.queueGroup, subOptions);
    sub.on('message', (msg: nats.Message) => {
      const message: BusMessage = {
        subject,
        sequence: msg.getSequence(),
        redelivered: msg.isRedelivered(),
        deliveries: redeliveryCount(msg) + 1,
        data: decode(msg.getData()),
        ack: () => msg.ack(),
      };
      // The handler (the base Listener) logs its own failures; this catch only
      // guarantees a bug there can never become an unhandled rejection.
      handler(message).catch((err: unknown) =>
        this.logger.error({ err, subject, sequence: message.sequence }, 'event handler crashed'),
      );
    });

    return new Promise((resolve, reject) => {
      let ready = false;
      // A subscription emits 'error'/'timeout' for its whole life; an unlistened
      // 'error' would crash the process, so both are always handled.
      const onFailure = (err: Error) => {
        if (!ready) reject(err);
        else this.logger.error({ err, subject }, 'NATS Streaming subscription error');
      };
      sub.on('error', onFailure);
      sub.on('timeout', onFailure);
      sub.once('ready', () => {
        ready = true;
        entry.current = sub;
        resolve();
      });
    });
  }

  private closeSubscription(entry: Registered): Promise<void> {
    this.registered.delete(entry);
    const sub = entry.current;
    entry.current = undefined;
    if (!sub || sub.isClosed() || !this.isConnected()) return Promise.resolve();
    return new Promise((resolve) => {
      sub.once('closed', () => resolve());
      sub.once('error', () => resolve());
      sub.once('timeout', () => resolve());
      // close() keeps the durable queue group on the server; unsubscribe() would delete it.
      sub.close();
    });
  }

  async close(): Promise<void> {
    if (this.closing) return;
    await Promise.all([...this.registered].map((entry) => this.closeSubscription(entry)));
    this.closing = true;
    this.connected = false;
    const stan = this.stan;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 3000);
      stan.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      try {
        stan.close();
      } catch {
        clearTimeout(timer);
        resolve();
      }
    });
  }
}

/** The server's count of earlier deliveries (node-nats-streaming has it; its typings do not). */
function redeliveryCount(msg: nats.Message): number {
  const count = (msg as nats.Message & { getRedeliveryCount?: () => number }).getRedeliveryCount?.();
  return typeof count === 'number' ? count : msg.isRedelivered() ? 1 : 0;
}

function decode(data: unknown): unknown {
  const text = Buffer.isBuffer(data) ? data.toString('utf8') : String(data);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // Not JSON: hand the raw text on so validation rejects (and acks) it with a clear log line.
    return text;
  }
}

/**
 * Connects to NATS Streaming, retrying while the server is not up yet, so a
 * service can start before its bus in a cluster. Rejects after the last attempt.
 */
export async function connectNatsStreaming(options: NatsStreamingOptions): Promise<NatsStreamingBus> {
  const attempts = options.connectAttempts ?? 10;
  let delay = options.retryDelayMs ?? 250;
  for (let attempt = 1; ; attempt++) {
    try {
      const stan = await connectOnce(options);
      options.logger.info({ url: options.url, clientId: options.clientId }, 'connected to NATS Streaming');
      return new NatsStreamingBus(stan, options);
    } catch (err) {
      if (attempt >= attempts) {
        throw new Error(
          `could not connect to NATS Streaming at ${options.url} (cluster ${options.clusterId}) after ${attempts} attempts: ${(err as Error).message}`,
          { cause: err },
        );
      }
      options.logger.warn({ err, attempt }, 'NATS Streaming not reachable yet; retrying');
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 5000);
    }
  }
}

function connectOnce(options: NatsStreamingOptions): Promise<nats.Stan> {
  return new Promise((resolve, reject) => {
    const stan = nats.connect(options.clusterId, options.clientId, {
      url: options.url,
      ...(options.token ? { token: options.token } : {}),
      connectTimeout: 2000,
      ackTimeout: options.publishTimeoutMs ?? 10_000,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 1000,
      // Detect a dead streaming server within ~15 s instead of the default 2 minutes.
      stanPingInterval: 5000,
      stanMaxPingOut: 3,
    });
    let failed = false;
    const onError = (err: Error) => {
      if (failed) return;
      failed = true;
      stan.removeAllListeners();
      stan.on('error', () => undefined);
      // Free the sockets of the failed attempt.
      try {
        stan.close();
      } catch {
        /* already closed */
      }
      reject(err);
    };
    // A server that accepts the socket but never answers (paused) must not hang the attempt.
    const timer = setTimeout(() => onError(new Error('NATS Streaming did not answer within 10 s')), 10_000);
    stan.once('connect', () => {
      clearTimeout(timer);
      stan.removeListener('error', onError);
      resolve(stan);
    });
    stan.once('error', (err: Error) => {
      clearTimeout(timer);
      onError(err);
    });
  });
}
