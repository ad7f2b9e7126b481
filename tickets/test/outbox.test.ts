import { Outbox } from '@gittix/common';
import { captureLogger, MemoryBus } from '@gittix/testing';
import {
  buildSeller,
  createTicket,
  orderTicket,
  setupTickets,
  storedTicket,
  ticketEvents,
  type TicketsHarness,
} from './helpers';

// "No lost events": a failed publish (the bus down, or the process dying right
// after the write) leaves the event in the ticket document, and the sweep — on
// its interval or at the next start — publishes it.
let h: TicketsHarness;
beforeAll(async () => {
  h = await setupTickets();
});
afterAll(async () => {
  await h.db.drop();
});

describe('tickets outbox', () => {
  it('when publishing ticket:created fails, then the API still answers 201 and the sweep publishes the event later', async () => {
    h.bus.failNextPublishes(1);

    const ticket = await createTicket(h, buildSeller());

    expect(ticketEvents(h, 'ticket:created', ticket.id)).toEqual([]);
    expect(await storedTicket(h, ticket.id)).toMatchObject({
      outboxPending: true,
      pendingEvents: [expect.objectContaining({ subject: 'ticket:created' })],
    });
    expect(h.logs.text()).toContain('publish failed; the outbox sweep will retry');

    await h.outbox.sweep();

    expect(ticketEvents(h, 'ticket:created', ticket.id)).toEqual([
      expect.objectContaining({ id: ticket.id, version: 0 }),
    ]);
    expect(await storedTicket(h, ticket.id)).toMatchObject({ outboxPending: false, pendingEvents: [] });
  });

  it('when the process restarts after a write whose publish failed, then the new process publishes the events at start, in order', async () => {
    const seller = buildSeller();
    h.bus.failNextPublishes(1);
    const ticket = await createTicket(h, seller, { title: 'v0' });
    // Still unpublished (the created event blocks the queue): the update waits behind it.
    h.bus.failNextPublishes(1);
    await h.api
      .put(`/api/tickets/${ticket.id}`)
      .set('Cookie', seller.cookie)
      .send({ title: 'v1', price: 20 })
      .expect(200);
    expect(await storedTicket(h, ticket.id)).toMatchObject({
      version: 1,
      pendingEvents: [expect.anything(), expect.anything()],
    });

    // A restarted process: a new bus connection and a new outbox over the same database.
    const bus = new MemoryBus();
    const restarted = new Outbox({ bus, logger: captureLogger('tickets').logger, models: [h.models.Ticket] });
    await restarted.start();
    await restarted.stop();

    const mine = bus.published.filter((e) => (e.data as { id?: string }).id === ticket.id);
    expect(mine).toEqual([
      { subject: 'ticket:created', data: expect.objectContaining({ version: 0, title: 'v0' }) },
      { subject: 'ticket:updated', data: expect.objectContaining({ version: 1, title: 'v1' }) },
    ]);
    expect(await storedTicket(h, ticket.id)).toMatchObject({ outboxPending: false, pendingEvents: [] });
  });

  it('when a listener’s publish fails, then the reservation is kept, the message acked, and the sweep publishes ticket:updated', async () => {
    const ticket = await createTicket(h, buildSeller());
    h.bus.failNextPublishes(1);

    const { orderId, acked } = await orderTicket(h, ticket);

    expect(acked).toBe(true);
    expect(await storedTicket(h, ticket.id)).toMatchObject({ status: 'reserved', outboxPending: true });
    expect(ticketEvents(h, 'ticket:updated', ticket.id)).toEqual([]);

    await h.outbox.sweep();

    expect(ticketEvents(h, 'ticket:updated', ticket.id)).toEqual([
      expect.objectContaining({ version: 1, status: 'reserved', orderId }),
    ]);
  });
});
