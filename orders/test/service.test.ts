import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { connectNatsStreaming, pendingEvent, withInitialEvents, type NatsStreamingBus } from '@gittix/common';
import {
  buildTicketCreatedEvent,
  buildUser,
  captureLogger,
  infraUrl,
  newId,
  signin,
  startServiceProcess,
  testJwtKey,
  waitFor,
  withDatabase,
  type RunningServer,
} from '@gittix/testing';
import mongoose, { Types } from 'mongoose';
import request from 'supertest';
import { createOrderModel, buyerSlotKey, holdingKey } from '../src/models/order';

const entry = path.join(__dirname, '..', 'dist', 'index.js');

describe('orders process', () => {
  it('when variables are missing or invalid, then it exits 1 with one line naming every one', async () => {
    const child = spawn(process.execPath, [entry], {
      env: { PATH: process.env.PATH, EXPIRATION_WINDOW_SECONDS: 'soon' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));

    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    for (const name of ['MONGO_URL', 'JWT_KEY', 'NATS_URL', 'NATS_CLIENT_ID'])
      expect(stderr).toContain(`${name} is required`);
    expect(stderr).toContain('EXPIRATION_WINDOW_SECONDS');
  });
});

describe('orders process on real NATS Streaming', () => {
  const mongoUrl = withDatabase(infraUrl('mongo'), `orders_proc_${randomUUID().slice(0, 8)}`);
  let connection: mongoose.Connection;
  let bus: NatsStreamingBus;
  let service: RunningServer | undefined;
  const seen: { subject: string; data: Record<string, unknown> }[] = [];

  beforeAll(async () => {
    connection = await mongoose.createConnection(mongoUrl).asPromise();
    bus = await connectNatsStreaming({
      url: infraUrl('nats'),
      clusterId: 'ticketing',
      clientId: `orders-test-${randomUUID()}`,
      logger: captureLogger('test').logger,
    });
    for (const subject of ['order:created', 'order:cancelled']) {
      await bus.subscribe(subject, { queueGroup: `observer-${randomUUID()}`, ackWaitMs: 5000 }, (message) => {
        seen.push({ subject, data: message.data as Record<string, unknown> });
        message.ack();
        return Promise.resolve();
      });
    }
  });
  afterAll(async () => {
    await service?.stop();
    await bus.close();
    await connection.dropDatabase().catch(() => undefined);
    await connection.close();
  });

  it('when a crash left order:created in an order, then the restarted process publishes it, learns tickets from the bus, takes orders and stops on SIGTERM', async () => {
    const Order = createOrderModel(connection);
    const leftover = new Types.ObjectId();
    const ticketId = new Types.ObjectId();
    const expiresAt = new Date(Date.now() + 60_000);
    const userId = newId();
    await Order.create(
      withInitialEvents(
        {
          _id: leftover,
          userId: new Types.ObjectId(userId),
          status: 'created' as const,
          expiresAt,
          ticket: { id: ticketId, title: 'Left behind', price: 5 },
          version: 0,
          reservationKey: holdingKey(ticketId),
          buyerSlot: buyerSlotKey(userId, 0),
        },
        pendingEvent('order:created', {
          id: leftover.toHexString(),
          version: 0,
          status: 'created',
          userId,
          expiresAt: expiresAt.toISOString(),
          ticket: { id: ticketId.toHexString(), price: 5 },
        }),
      ),
    );
    const output: string[] = [];

    service = await startServiceProcess({
      service: 'orders',
      env: {
        MONGO_URL: mongoUrl,
        JWT_KEY: testJwtKey,
        NATS_URL: infraUrl('nats'),
        NATS_CLIENT_ID: `orders-${randomUUID()}`,
        LOG_LEVEL: 'info',
      },
      onLine: (line) => output.push(line),
    });

    await waitFor(
      () => seen.find((e) => e.subject === 'order:created' && e.data.id === leftover.toHexString()),
      'the leftover order:created on NATS',
      15_000,
    );

    const ticket = buildTicketCreatedEvent();
    await bus.publish('ticket:created', ticket);
    const buyer = signin(buildUser());
    const api = request(service.url);
    const created = await waitFor(
      async () => {
        const res = await api.post('/api/orders').set('Cookie', buyer).send({ ticketId: ticket.id });
        return res.status === 201 ? (res.body as { id: string }) : undefined;
      },
      'the ticket replica to accept an order',
      15_000,
    );
    await waitFor(
      () => seen.find((e) => e.subject === 'order:created' && e.data.id === created.id),
      'order:created',
      15_000,
    );

    await service.stop();
    service = undefined;
    expect(output.join('\n')).toContain('orders stopped');
  });
});
