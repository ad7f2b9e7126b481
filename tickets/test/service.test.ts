import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { connectNatsStreaming, pendingEvent, withInitialEvents, type NatsStreamingBus } from '@gittix/common';
import {
  buildOrderCreatedEvent,
  captureLogger,
  infraUrl,
  newId,
  startServiceProcess,
  testJwtKey,
  waitFor,
  withDatabase,
  type RunningServer,
} from '@gittix/testing';
import mongoose, { Types } from 'mongoose';
import request from 'supertest';
import { createTicketModel } from '../src/models/ticket';

const entry = path.join(__dirname, '..', 'dist', 'index.js');

describe('tickets process', () => {
  it('when required variables are missing, then it exits 1 with one line naming every one', async () => {
    const child = spawn(process.execPath, [entry], {
      env: { PATH: process.env.PATH },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));

    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    for (const name of ['MONGO_URL', 'JWT_KEY', 'NATS_URL', 'NATS_CLIENT_ID'])
      expect(stderr).toContain(`${name} is required`);
  });
});

describe('tickets process on real NATS Streaming', () => {
  const database = `tickets_proc_${randomUUID().slice(0, 8)}`;
  const mongoUrl = withDatabase(infraUrl('mongo'), database);
  let connection: mongoose.Connection;
  let bus: NatsStreamingBus;
  let service: RunningServer | undefined;
  const seen: { subject: string; data: Record<string, unknown> }[] = [];

  beforeAll(async () => {
    connection = await mongoose.createConnection(mongoUrl).asPromise();
    bus = await connectNatsStreaming({
      url: infraUrl('nats'),
      clusterId: 'ticketing',
      clientId: `tickets-test-${randomUUID()}`,
      logger: captureLogger('test').logger,
    });
    // A fresh durable group sees the whole channel; each test looks only for its own ticket ids.
    for (const subject of ['ticket:created', 'ticket:updated']) {
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

  it('when a crash left an event in a ticket document, then the restarted process publishes it, serves, and stops cleanly on SIGTERM', async () => {
    // The state a process leaves when it dies between the write and the publish.
    const Ticket = createTicketModel(connection);
    const _id = new Types.ObjectId();
    const userId = newId();
    const fields = {
      _id,
      title: 'Left behind',
      price: 42,
      userId: new Types.ObjectId(userId),
      username: 'sam',
      status: 'available' as const,
      version: 0,
    };
    await Ticket.create(
      withInitialEvents(
        fields,
        pendingEvent('ticket:created', { id: _id.toHexString(), version: 0, title: 'Left behind', price: 42, userId }),
      ),
    );

    const output: string[] = [];
    service = await startServiceProcess({
      service: 'tickets',
      env: {
        MONGO_URL: mongoUrl,
        JWT_KEY: testJwtKey,
        NATS_URL: infraUrl('nats'),
        NATS_CLIENT_ID: `tickets-${randomUUID()}`,
        LOG_LEVEL: 'info',
      },
      onLine: (line) => output.push(line),
    });

    await waitFor(
      () => seen.find((e) => e.subject === 'ticket:created' && e.data.id === _id.toHexString()),
      'the leftover ticket:created on NATS',
      15_000,
    );
    const shown = await request(service.url).get(`/api/tickets/${_id.toHexString()}`).expect(200);
    expect(shown.body).toMatchObject({ title: 'Left behind', version: 0 });

    // And the listeners are subscribed on the real bus: an order reserves the ticket.
    const orderId = newId();
    await bus.publish(
      'order:created',
      buildOrderCreatedEvent({ id: orderId, ticket: { id: _id.toHexString(), price: 42 } }),
    );
    await waitFor(
      () =>
        seen.find(
          (e) => e.subject === 'ticket:updated' && e.data.id === _id.toHexString() && e.data.orderId === orderId,
        ),
      'ticket:updated reserving the ticket',
      15_000,
    );

    await service.stop();
    service = undefined;
    expect(output.join('\n')).toContain('tickets stopped');
  });
});
