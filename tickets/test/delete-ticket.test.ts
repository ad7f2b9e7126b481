import { buildPaymentCreatedEvent, newId } from '@gittix/testing';
import { buildSeller, createTicket, orderTicket, useTickets, ticketEvents } from './helpers';

const h = useTickets();

describe('DELETE /api/tickets/:id', () => {
  it('when the owner deletes an available ticket, then it answers 204, publishes ticket:deleted and the ticket is gone from reads', async () => {
    const seller = buildSeller();
    const ticket = await createTicket(h, seller);

    const res = await h.api.delete(`/api/tickets/${ticket.id}`).set('Cookie', seller.cookie);

    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect(ticketEvents(h, 'ticket:deleted', ticket.id)).toEqual([{ id: ticket.id, version: 1 }]);
    await h.api.get(`/api/tickets/${ticket.id}`).expect(404);
    const own = await h.api.get(`/api/tickets?userId=${seller.id}`).expect(200);
    expect(own.body).toEqual([]);
    const all = await h.api.get('/api/tickets?limit=100').expect(200);
    expect((all.body as { id: string }[]).map((t) => t.id)).not.toContain(ticket.id);
  });

  it('when a ticket is deleted, then ticket:deleted goes out at version + 1 and the ticket is gone for its seller too', async () => {
    const seller = buildSeller();
    const ticket = await createTicket(h, seller);

    await h.api.delete(`/api/tickets/${ticket.id}`).set('Cookie', seller.cookie).expect(204);

    expect(ticketEvents(h, 'ticket:deleted', ticket.id)).toEqual([{ id: ticket.id, version: 1 }]);
    await h.api.get(`/api/tickets/${ticket.id}`).set('Cookie', seller.cookie).expect(404);
  });

  it('when it is deleted twice, then the second answers 404 and publishes nothing', async () => {
    const seller = buildSeller();
    const ticket = await createTicket(h, seller);
    await h.api.delete(`/api/tickets/${ticket.id}`).set('Cookie', seller.cookie).expect(204);

    await h.api.delete(`/api/tickets/${ticket.id}`).set('Cookie', seller.cookie).expect(404);

    expect(ticketEvents(h, 'ticket:deleted', ticket.id)).toHaveLength(1);
  });

  it('when someone else deletes it, then it answers 403 and the ticket stays', async () => {
    const ticket = await createTicket(h, buildSeller());

    await h.api.delete(`/api/tickets/${ticket.id}`).set('Cookie', buildSeller().cookie).expect(403);

    await h.api.get(`/api/tickets/${ticket.id}`).expect(200);
  });

  it('when not signed in, then it answers 401', async () => {
    const ticket = await createTicket(h, buildSeller());

    await h.api.delete(`/api/tickets/${ticket.id}`).expect(401);
  });

  it('when the ticket is reserved or sold, then it answers 400 and the ticket stays', async () => {
    const seller = buildSeller();
    const reserved = await createTicket(h, seller);
    await orderTicket(h, reserved);
    const sold = await createTicket(h, seller);
    const { orderId } = await orderTicket(h, sold);
    await h.bus.deliver('payment:created', buildPaymentCreatedEvent({ orderId }));

    const r1 = await h.api.delete(`/api/tickets/${reserved.id}`).set('Cookie', seller.cookie);
    const r2 = await h.api.delete(`/api/tickets/${sold.id}`).set('Cookie', seller.cookie);

    expect(r1.status).toBe(400);
    expect(r1.body).toEqual({ errors: [{ message: 'Cannot delete a reserved ticket' }] });
    expect(r2.status).toBe(400);
    expect(r2.body).toEqual({ errors: [{ message: 'Cannot delete a sold ticket' }] });
    expect(ticketEvents(h, 'ticket:deleted', reserved.id)).toEqual([]);
  });

  it('when the id is unknown or malformed, then it answers 404', async () => {
    const cookie = buildSeller().cookie;
    await h.api.delete(`/api/tickets/${newId()}`).set('Cookie', cookie).expect(404);
    await h.api.delete('/api/tickets/12345').set('Cookie', cookie).expect(404);
  });
});
