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
  /** Connection attempts before giving up (a server still starting is normal). */
  connectAttempts?: number;
  /** Delay between attempts, doubled each time up to 5 s. */
  retryDelayMs?: number;
  /** How long one publish may wait for the server's ack. */
  publishTimeoutMs?: number;
}

/** The event bus over NATS Streaming (node-nats-streaming). Create it with {@link connectNatsStreaming}. */
export class NatsStreamingBus implements EventBus {
  private connected = true;
  private closing = false;
  private closed = false;
  private readonly subscriptions = new Set<nats.Subscription>();

  constructor(
    private readonly stan: nats.Stan,
    private readonly logger: Logger,
  ) {
    stan.on('connection_lost', (err: unknown) => {
      this.connected = false;
      logger.error({ err }, 'NATS Streaming connection lost');
    });
    stan.on('disconnect', () => {
      this.connected = false;
      logger.warn('NATS disconnected; reconnecting');
    });
    stan.on('reconnect', () => {
      this.connected = true;
      logger.info('NATS reconnected');
    });
    stan.on('close', () => {
      this.connected = false;
      this.closed = true;
      if (!this.closing) logger.error('NATS Streaming connection closed unexpectedly');
    });
    stan.on('error', (err: unknown) => logger.error({ err }, 'NATS Streaming error'));
  }

  isConnected(): boolean {
    return this.connected;
  }

  publish(subject: string, data: unknown): Promise<void> {
    return new Promise((resolve, reject) => {
      try {
        this.stan.publish(subject, JSON.stringify(data), (err) => (err ? reject(err) : resolve()));
      } catch (err) {
        // node-nats-streaming throws synchronously when the connection is closed.
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
  }

  subscribe(subject: string, options: SubscribeOptions, handler: MessageHandler): Promise<BusSubscription> {
    const subOptions = this.stan
      .subscriptionOptions()
      .setManualAckMode(true)
      .setAckWait(options.ackWaitMs)
      .setDeliverAllAvailable()
      .setDurableName(options.queueGroup);
    if (options.maxInFlight !== undefined) subOptions.setMaxInFlight(options.maxInFlight);

    const sub = this.stan.subscribe(subject, options.queueGroup, subOptions);
    this.subscriptions.add(sub);

    sub.on('message', (msg: nats.Message) => {
      const message: BusMessage = {
        subject,
        sequence: msg.getSequence(),
        redelivered: msg.isRedelivered(),
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
        resolve({ close: () => this.closeSubscription(sub) });
      });
    });
  }

  private closeSubscription(sub: nats.Subscription): Promise<void> {
    if (!this.subscriptions.delete(sub) || sub.isClosed() || this.closed) return Promise.resolve();
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
    this.closing = true;
    await Promise.all([...this.subscriptions].map((sub) => this.closeSubscription(sub)));
    if (this.closed) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 3000);
      this.stan.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      this.stan.close();
    });
    this.connected = false;
  }
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
      return new NatsStreamingBus(stan, options.logger);
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
    const onError = (err: Error) => {
      stan.removeAllListeners();
      // Free the sockets of the failed attempt.
      try {
        stan.close();
      } catch {
        /* already closed */
      }
      reject(err);
    };
    stan.once('connect', () => {
      stan.removeListener('error', onError);
      resolve(stan);
    });
    stan.once('error', onError);
  });
}
