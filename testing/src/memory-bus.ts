import type { BusMessage, BusSubscription, EventBus, MessageHandler, SubscribeOptions } from '@gittix/common/bus';

export interface PublishedEvent {
  subject: string;
  data: unknown;
}

export interface DeliveryResult {
  acked: boolean;
}

/**
 * An in-process bus that records what is published and lets a test deliver
 * messages to subscribed listeners. For one service's component tests only
 * (docs/architecture.md, "Tests"); the bus's own tests and e2e run on real NATS Streaming.
 */
export class MemoryBus implements EventBus {
  readonly published: PublishedEvent[] = [];
  private readonly handlers = new Map<string, MessageHandler[]>();
  private failures: Error[] = [];
  private sequence = 0;
  private connected = true;

  async publish(subject: string, data: unknown): Promise<void> {
    await Promise.resolve();
    const failure = this.failures.shift();
    if (failure) throw failure;
    // Store a copy, as a real transport would serialize it.
    this.published.push({ subject, data: JSON.parse(JSON.stringify(data)) as unknown });
  }

  subscribe(subject: string, _options: SubscribeOptions, handler: MessageHandler): Promise<BusSubscription> {
    const list = this.handlers.get(subject) ?? [];
    list.push(handler);
    this.handlers.set(subject, list);
    return Promise.resolve({
      close: () => {
        const current = this.handlers.get(subject) ?? [];
        this.handlers.set(
          subject,
          current.filter((h) => h !== handler),
        );
        return Promise.resolve();
      },
    });
  }

  /** Delivers one message to the first handler of the subject and reports whether it was acked. */
  async deliver(
    subject: string,
    data: unknown,
    options: { redelivered?: boolean; deliveries?: number } = {},
  ): Promise<DeliveryResult> {
    const handler = this.handlers.get(subject)?.[0];
    if (!handler) throw new Error(`MemoryBus: nobody listens to ${subject}`);
    let acked = false;
    const message: BusMessage = {
      subject,
      sequence: ++this.sequence,
      redelivered: options.redelivered ?? (options.deliveries ?? 1) > 1,
      deliveries: options.deliveries ?? (options.redelivered ? 2 : 1),
      data: JSON.parse(JSON.stringify(data)) as unknown,
      ack: () => {
        acked = true;
      },
    };
    await handler(message);
    return { acked };
  }

  /** Makes the next `count` publishes reject with `error`, as a broken connection would. */
  failNextPublishes(count: number, error = new Error('bus unavailable')): void {
    this.failures = Array.from({ length: count }, () => error);
  }

  /** Published payloads of one subject, oldest first. */
  eventsOf(subject: string): unknown[] {
    return this.published.filter((e) => e.subject === subject).map((e) => e.data);
  }

  private disconnectedAt: number | undefined;
  private readonly reconnectListeners: Array<() => void> = [];

  /** Plays an outage (false) and its end (true); the end tells onReconnect listeners, as a real transport does. */
  setConnected(connected: boolean, now = Date.now()): void {
    const wasConnected = this.connected;
    this.connected = connected;
    if (!connected) this.disconnectedAt ??= now;
    else {
      this.disconnectedAt = undefined;
      if (!wasConnected) for (const listener of this.reconnectListeners) listener();
    }
  }

  disconnectedForMs(now = Date.now()): number {
    return this.disconnectedAt === undefined ? 0 : now - this.disconnectedAt;
  }

  onReconnect(listener: () => void): void {
    this.reconnectListeners.push(listener);
  }

  isConnected(): boolean {
    return this.connected;
  }

  close(): Promise<void> {
    this.connected = false;
    return Promise.resolve();
  }
}
