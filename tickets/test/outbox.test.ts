import { waitFor } from '@gittix/testing';
import { startTestService } from '@gittix/testing/harness';
import { ticketsService } from '../src/service';
import {
  buildSeller,
  createTicket,
  orderTicket,
  ticketEvents,
  ticketNow,
  useTickets,
  type TicketsHarness,
} from './helpers';

// "No lost events": a failed publish (the bus down, or the process dying right
// after the write) leaves the event in the ticket's document, and the outbox
// publishes it when the bus is back, on its interval, or at the next start.
const h = useTickets();

/** The bus drops and comes back, as NATS does after an outage: the outbox sweeps at once. */
function busOutage(harness: TicketsHarness) {
  harness.bus.setConnected(false);
  harness.bus.setConnected(true);
}

describe('tickets outbox', () => {
  it('when publishing ticket:created fails, then the API still answers 201 and the event goes out once the bus is back', async () => {
    h.bus.failNextPublishes(1);

    const ticket = await createTicket(h, buildSeller());

    expect(ticketEvents(h, 'ticket:created', ticket.id)).toEqual([]);
    expect(h.logs.text()).toContain('publish failed; the outbox sweep will retry');

    busOutage(h);

    await waitFor(() => ticketEvents(h, 'ticket:created', ticket.id).length === 1, 'ticket:created after the outage');
    expect(ticketEvents(h, 'ticket:created', ticket.id)).toEqual([
      expect.objectContaining({ id: ticket.id, version: 0 }),
    ]);
  });

  it('when the process restarts after writes whose publishes failed, then the new process publishes them at start, in order', async () => {
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
    expect(ticketEvents(h, 'ticket:updated', ticket.id)).toEqual([]);

    // A restarted process: a new bus connection and a new service over the same database.
    const restarted = await startTestService(ticketsService, { db: h.db });
    try {
      const mine = () => restarted.bus.published.filter((e) => (e.data as { id?: string }).id === ticket.id);
      await waitFor(() => mine().length === 2, 'both events from the restarted process');
      expect(mine()).toEqual([
        { subject: 'ticket:created', data: expect.objectContaining({ version: 0, title: 'v0' }) },
        { subject: 'ticket:updated', data: expect.objectContaining({ version: 1, title: 'v1' }) },
      ]);
    } finally {
      await restarted.stop();
    }
  });

  it('when a deletion cannot be published, then the deleted ticket keeps its event until it goes out', async () => {
    const seller = buildSeller();
    const ticket = await createTicket(h, seller);
    h.bus.failNextPublishes(1);

    await h.api.delete(`/api/tickets/${ticket.id}`).set('Cookie', seller.cookie).expect(204);
    expect(ticketEvents(h, 'ticket:deleted', ticket.id)).toEqual([]);

    busOutage(h);

    await waitFor(() => ticketEvents(h, 'ticket:deleted', ticket.id).length === 1, 'ticket:deleted after the outage');
  });

  it('when a listener’s publish fails, then the reservation is kept, the message acked, and ticket:updated goes out later', async () => {
    const ticket = await createTicket(h, buildSeller());
    h.bus.failNextPublishes(1);

    const { orderId, acked } = await orderTicket(h, ticket);

    expect(acked).toBe(true);
    expect(await ticketNow(h, ticket)).toMatchObject({ status: 'reserved', orderId });
    expect(ticketEvents(h, 'ticket:updated', ticket.id)).toEqual([]);

    busOutage(h);

    await waitFor(() => ticketEvents(h, 'ticket:updated', ticket.id).length === 1, 'ticket:updated after the outage');
    expect(ticketEvents(h, 'ticket:updated', ticket.id)).toEqual([
      expect.objectContaining({ version: 1, status: 'reserved', orderId }),
    ]);
  });
});
