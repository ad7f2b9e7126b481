import { buildPaymentCreatedEvent, inDays, newId } from '@gittix/testing';
import { buildSeller, createTicket, orderTicket, useTickets, ticketNow, ticketEvents } from './helpers';

const h = useTickets();

describe('PUT /api/tickets/:id', () => {
  it('when the owner sends valid fields, then it answers 200 at version + 1 and publishes ticket:updated', async () => {
    const seller = buildSeller();
    const ticket = await createTicket(h, seller, { title: 'Old', price: 10 });

    const res = await h.api
      .put(`/api/tickets/${ticket.id}`)
      .set('Cookie', seller.cookie)
      .send({ title: 'New', price: 12.5 });

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: ticket.id, title: 'New', price: 12.5, version: 1, status: 'available' });
    expect(await ticketNow(h, ticket)).toMatchObject({
      title: 'New',
      price: 12.5,
      version: 1,
    });
    expect(ticketEvents(h, 'ticket:updated', ticket.id)).toEqual([
      {
        id: ticket.id,
        version: 1,
        title: 'New',
        price: 12.5,
        priceCents: 1250,
        userId: seller.id,
        eventDate: ticket.eventDate,
        status: 'available',
      },
    ]);
  });

  it('when event details are omitted, then they are kept; when given, then they change and ticket:updated carries the new date', async () => {
    const seller = buildSeller();
    const ticket = await createTicket(h, seller, { venue: 'Arena', city: 'Leeds', category: 'sports' });
    const later = inDays(60);

    const kept = await h.api
      .put(`/api/tickets/${ticket.id}`)
      .set('Cookie', seller.cookie)
      .send({ title: 'A', price: 1 })
      .expect(200);
    const moved = await h.api
      .put(`/api/tickets/${ticket.id}`)
      .set('Cookie', seller.cookie)
      .send({ title: 'A', price: 1, eventDate: later, venue: ' Stadium ', city: 'York', category: 'festival' })
      .expect(200);

    expect(kept.body).toMatchObject({ eventDate: ticket.eventDate, venue: 'Arena', city: 'Leeds', category: 'sports' });
    expect(moved.body).toMatchObject({ eventDate: later, venue: 'Stadium', city: 'York', category: 'festival' });
    expect(ticketEvents(h, 'ticket:updated', ticket.id).map((e) => e.eventDate)).toEqual([ticket.eventDate, later]);
    // The city filter follows the new city.
    const inYork = await h.api.get('/api/tickets?city=york').expect(200);
    expect((inYork.body as { id: string }[]).map((t) => t.id)).toEqual([ticket.id]);
  });

  it('when description and image are omitted, then they are kept; when null, then they are cleared', async () => {
    const seller = buildSeller();
    const ticket = await createTicket(h, seller, { description: 'Row 1', imageUrl: 'http://img.example.test/x.jpg' });

    const kept = await h.api
      .put(`/api/tickets/${ticket.id}`)
      .set('Cookie', seller.cookie)
      .send({ title: 'A', price: 1 });
    const cleared = await h.api
      .put(`/api/tickets/${ticket.id}`)
      .set('Cookie', seller.cookie)
      .send({ title: 'A', price: 1, description: null, imageUrl: null });

    expect(kept.body).toMatchObject({ description: 'Row 1', imageUrl: 'http://img.example.test/x.jpg', version: 1 });
    expect(cleared.body).toMatchObject({ description: '', imageUrl: null, version: 2 });
  });

  it('when 10 edits of one ticket race, then each gets its own version and event: 1 to 10, none lost', async () => {
    const seller = buildSeller();
    const ticket = await createTicket(h, seller);

    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        h.api
          .put(`/api/tickets/${ticket.id}`)
          .set('Cookie', seller.cookie)
          .send({ title: `edit ${i}`, price: 10 + i }),
      ),
    );

    expect(results.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(results.map((r) => r.body.version as number).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const events = ticketEvents(h, 'ticket:updated', ticket.id);
    expect(events.map((e) => e.version)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const stored = await ticketNow(h, ticket);
    expect(stored.version).toBe(10);
    expect(events.at(-1)).toMatchObject({ title: stored.title, price: stored.price });
  });

  it('when not signed in, then it answers 401', async () => {
    const ticket = await createTicket(h, buildSeller());

    await h.api.put(`/api/tickets/${ticket.id}`).send({ title: 'x', price: 1 }).expect(401);
  });

  it('when someone else edits it, then it answers 403 and nothing changes', async () => {
    const ticket = await createTicket(h, buildSeller(), { title: 'Mine' });

    const res = await h.api
      .put(`/api/tickets/${ticket.id}`)
      .set('Cookie', buildSeller().cookie)
      .send({ title: 'Stolen', price: 1 });

    expect(res.status).toBe(403);
    expect(await ticketNow(h, ticket)).toMatchObject({ title: 'Mine', version: 0 });
    expect(ticketEvents(h, 'ticket:updated', ticket.id)).toEqual([]);
  });

  it('when the ticket is reserved, then it answers 400 "Cannot edit a reserved ticket"', async () => {
    const seller = buildSeller();
    const ticket = await createTicket(h, seller);
    await orderTicket(h, ticket);

    const res = await h.api
      .put(`/api/tickets/${ticket.id}`)
      .set('Cookie', seller.cookie)
      .send({ title: 'x', price: 1 });

    expect(res.status).toBe(400);
    expect(res.body).toEqual({ errors: [{ message: 'Cannot edit a reserved ticket' }] });
    expect((await ticketNow(h, ticket)).version).toBe(1);
  });

  it('when the ticket is sold, then it answers 400', async () => {
    const seller = buildSeller();
    const ticket = await createTicket(h, seller);
    const { orderId } = await orderTicket(h, ticket);
    await h.bus.deliver('payment:created', buildPaymentCreatedEvent({ orderId }));

    const res = await h.api
      .put(`/api/tickets/${ticket.id}`)
      .set('Cookie', seller.cookie)
      .send({ title: 'x', price: 1 });

    expect(res.status).toBe(400);
    expect(res.body).toEqual({ errors: [{ message: 'Cannot edit a sold ticket' }] });
  });

  it('when the ticket does not exist, was deleted or the id is malformed, then it answers 404', async () => {
    const seller = buildSeller();
    const ticket = await createTicket(h, seller);
    await h.api.delete(`/api/tickets/${ticket.id}`).set('Cookie', seller.cookie).expect(204);

    for (const id of [newId(), ticket.id, 'not-an-id']) {
      const res = await h.api.put(`/api/tickets/${id}`).set('Cookie', seller.cookie).send({ title: 'x', price: 1 });
      expect(res.status).toBe(404);
    }
  });

  it.each([
    ['no title', { price: 10 }, 'title'],
    ['no price', { title: 'x' }, 'price'],
    ['a price with 3 decimals', { title: 'x', price: 1.234 }, 'price'],
    ['an ftp image URL', { title: 'x', price: 1, imageUrl: 'ftp://example.test/a.png' }, 'imageUrl'],
    ['an event date in the past', { title: 'x', price: 1, eventDate: inDays(-0.01) }, 'eventDate'],
    ['an event date that is not a date', { title: 'x', price: 1, eventDate: 'soon' }, 'eventDate'],
    ['an event date of null', { title: 'x', price: 1, eventDate: null }, 'eventDate'],
    ['an empty venue', { title: 'x', price: 1, venue: '' }, 'venue'],
    ['a city of null', { title: 'x', price: 1, city: null }, 'city'],
    ['an unknown category', { title: 'x', price: 1, category: 'gala' }, 'category'],
  ])('when the body has %s, then it answers 400 naming the field and nothing changes', async (_case, body, field) => {
    const seller = buildSeller();
    const ticket = await createTicket(h, seller);

    const res = await h.api.put(`/api/tickets/${ticket.id}`).set('Cookie', seller.cookie).send(body);

    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual(expect.arrayContaining([{ field, message: expect.any(String) }]));
    expect((await ticketNow(h, ticket)).version).toBe(0);
  });

  it('when the body is junk, then it answers 400, never 500', async () => {
    const seller = buildSeller();
    const ticket = await createTicket(h, seller);

    for (const junk of ['{', '[1,2]', 'null', 'true']) {
      const res = await h.api
        .put(`/api/tickets/${ticket.id}`)
        .set('Cookie', seller.cookie)
        .set('Content-Type', 'application/json')
        .send(junk);
      expect(res.status).toBe(400);
    }
  });
});
