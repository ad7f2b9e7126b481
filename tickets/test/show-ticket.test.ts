import { newId } from '@gittix/testing';
import { buildSeller, createTicket, orderTicket, useTickets } from './helpers';

const h = useTickets();

describe('GET /api/tickets/:id', () => {
  it('when the ticket exists, then anyone gets it', async () => {
    const ticket = await createTicket(h, buildSeller(), { title: 'Jazz', price: 35 });

    const res = await h.api.get(`/api/tickets/${ticket.id}`);

    expect(res.status).toBe(200);
    expect(res.body).toEqual(ticket);
  });

  it('when the ticket is reserved, then the public sees it reserved, and only its seller sees which order holds it', async () => {
    const seller = buildSeller();
    const ticket = await createTicket(h, seller);
    const { orderId } = await orderTicket(h, ticket);

    const anonymous = await h.api.get(`/api/tickets/${ticket.id}`);
    const stranger = await h.api.get(`/api/tickets/${ticket.id}`).set('Cookie', buildSeller().cookie);
    const owner = await h.api.get(`/api/tickets/${ticket.id}`).set('Cookie', seller.cookie);

    expect(anonymous.status).toBe(200);
    expect(anonymous.body).toMatchObject({ status: 'reserved', version: 1 });
    expect(anonymous.body).not.toHaveProperty('orderId');
    expect(stranger.body).not.toHaveProperty('orderId');
    expect(owner.body).toMatchObject({ status: 'reserved', orderId, version: 1 });
  });

  it('when the listing is read, then no ticket shows its order to anyone but its seller', async () => {
    const seller = buildSeller();
    const ticket = await createTicket(h, seller);
    await orderTicket(h, ticket);

    const publicView = await h.api.get(`/api/tickets?userId=${seller.id}`);
    const ownView = await h.api.get(`/api/tickets?userId=${seller.id}`).set('Cookie', seller.cookie);

    expect(publicView.body.find((t: { id: string }) => t.id === ticket.id)).not.toHaveProperty('orderId');
    expect(ownView.body.find((t: { id: string }) => t.id === ticket.id)).toHaveProperty('orderId');
  });

  it('when no ticket has the id, then it answers 404', async () => {
    const res = await h.api.get(`/api/tickets/${newId()}`);

    expect(res.status).toBe(404);
    expect(res.body).toEqual({ errors: [{ message: 'Ticket not found' }] });
  });

  it('when the ticket was deleted, then it answers 404', async () => {
    const seller = buildSeller();
    const ticket = await createTicket(h, seller);
    await h.api.delete(`/api/tickets/${ticket.id}`).set('Cookie', seller.cookie).expect(204);

    await h.api.get(`/api/tickets/${ticket.id}`).expect(404);
  });

  it.each(['abc', '123', 'zzzzzzzzzzzzzzzzzzzzzzzz', `${newId()}0`, '%00', '..%2F..'])(
    'when the id is malformed (%s), then it answers 404, never 500',
    async (id) => {
      const res = await h.api.get(`/api/tickets/${id}`);

      expect(res.status).toBe(404);
      expect(Array.isArray(res.body.errors)).toBe(true);
    },
  );
});
