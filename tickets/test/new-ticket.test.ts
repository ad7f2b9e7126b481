import { buildTicket, inDays } from '@gittix/testing';
import { buildSeller, useTickets, ticketNow, ticketEvents } from './helpers';

const h = useTickets();

describe('POST /api/tickets', () => {
  it('when not signed in, then it answers 401 and stores nothing', async () => {
    const body = buildTicket();

    const res = await h.api.post('/api/tickets').send(body);

    expect(res.status).toBe(401);
    expect(res.body).toEqual({ errors: [{ message: 'Not authorized' }] });
    const listed = await h.api.get('/api/tickets?limit=100').expect(200);
    expect((listed.body as { title: string }[]).map((t) => t.title)).not.toContain(body.title);
  });

  it('when the input is valid, then it answers 201 with the ticket at version 0 and publishes ticket:created', async () => {
    const seller = buildSeller({ username: 'sam' });
    const body = buildTicket({ price: 19.99, description: 'Front row', imageUrl: 'https://img.example.test/a.png' });

    const res = await h.api.post('/api/tickets').set('Cookie', seller.cookie).send(body);

    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{24}$/),
      title: body.title,
      price: 19.99,
      userId: seller.id,
      username: 'sam',
      description: 'Front row',
      imageUrl: 'https://img.example.test/a.png',
      eventDate: body.eventDate,
      venue: 'Town Hall',
      city: 'Springfield',
      category: 'concert',
      status: 'available',
      version: 0,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect(new Date(res.body.createdAt).toISOString()).toBe(res.body.createdAt);
    expect(await ticketNow(h, res.body)).toEqual(res.body);
    expect(ticketEvents(h, 'ticket:created', res.body.id)).toEqual([
      {
        id: res.body.id,
        version: 0,
        title: body.title,
        price: 19.99,
        priceCents: 1999,
        userId: seller.id,
        eventDate: body.eventDate,
      },
    ]);
  });

  it('when description and image are left out, then the ticket has an empty description and no image', async () => {
    const res = await h.api
      .post('/api/tickets')
      .set('Cookie', buildSeller().cookie)
      .send(buildTicket({ title: 'Plain', price: 5 }));

    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ description: '', imageUrl: null });
    expect(res.body).not.toHaveProperty('orderId');
  });

  it('when the title has surrounding spaces, then they are trimmed', async () => {
    const res = await h.api
      .post('/api/tickets')
      .set('Cookie', buildSeller().cookie)
      .send(buildTicket({ title: '  Opera night ', price: 10, venue: '  The   Old Vic ', city: ' London ' }));

    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ title: 'Opera night', venue: 'The Old Vic', city: 'London' });
  });

  it('when the event date has an offset, then it is stored as that instant and answered in UTC', async () => {
    const local = inDays(10).slice(0, 19) + '+02:00';

    const res = await h.api
      .post('/api/tickets')
      .set('Cookie', buildSeller().cookie)
      .send(buildTicket({ eventDate: local }));

    expect(res.status).toBe(201);
    expect(res.body.eventDate).toBe(new Date(local).toISOString());
  });

  it.each([
    [
      'no event date',
      { eventDate: undefined },
      'eventDate',
      'Event date must be an ISO date-time, like 2027-06-05T20:00:00Z',
    ],
    ['an event date that is not a date', { eventDate: 'next friday' }, 'eventDate', undefined],
    ['a date without a time', { eventDate: '2031-06-05' }, 'eventDate', undefined],
    ['a date-time without an offset', { eventDate: '2031-06-05T20:00:00' }, 'eventDate', undefined],
    ['an impossible date', { eventDate: '2031-02-30T20:00:00Z' }, 'eventDate', undefined],
    ['a numeric event date', { eventDate: Date.now() + 86_400_000 }, 'eventDate', undefined],
    ['an event date in the past', { eventDate: inDays(-1) }, 'eventDate', 'Event date must be in the future'],
    [
      'an event date of right now',
      { eventDate: new Date().toISOString() },
      'eventDate',
      'Event date must be in the future',
    ],
    ['an event date 6 years ahead', { eventDate: inDays(6 * 366) }, 'eventDate', 'Event date must be within 5 years'],
    ['no venue', { venue: undefined }, 'venue', 'Venue is required'],
    ['a venue of spaces', { venue: '   ' }, 'venue', 'Venue is required'],
    ['a 121-character venue', { venue: 'v'.repeat(121) }, 'venue', 'Venue must be at most 120 characters'],
    ['no city', { city: undefined }, 'city', 'City is required'],
    ['a numeric city', { city: 7 }, 'city', 'City must be a string'],
    ['a 121-character city', { city: 'c'.repeat(121) }, 'city', 'City must be at most 120 characters'],
    ['no category', { category: undefined }, 'category', undefined],
    [
      'an unknown category',
      { category: 'opera' },
      'category',
      'Category must be one of concert, sports, theatre, comedy, festival, other',
    ],
    ['a category in capitals', { category: 'Concert' }, 'category', undefined],
  ])('when the body has %s, then it answers 400 naming only that field', async (_case, change, field, message) => {
    const body: Record<string, unknown> = { ...buildTicket(), ...change };

    const res = await h.api.post('/api/tickets').set('Cookie', buildSeller().cookie).send(body);

    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field, message: message ?? expect.any(String) }]);
  });

  it.each([
    ['no title', { price: 10 }, 'title'],
    ['an empty title', { title: '', price: 10 }, 'title'],
    ['a title of spaces', { title: '   ', price: 10 }, 'title'],
    ['a 121-character title', { title: 't'.repeat(121), price: 10 }, 'title'],
    ['a numeric title', { title: 42, price: 10 }, 'title'],
    ['no price', { title: 'Show' }, 'price'],
    ['a zero price', { title: 'Show', price: 0 }, 'price'],
    ['a negative price', { title: 'Show', price: -5 }, 'price'],
    ['a price over 999,999.99', { title: 'Show', price: 1_000_000 }, 'price'],
    ["a price under Stripe's 50-cent minimum", { title: 'Show', price: 0.49 }, 'price'],
    ['a price that rounds to 0 cents', { title: 'Show', price: 1e-9 }, 'price'],
    ['an infinite price', { title: 'Show', price: Number.MAX_VALUE * 10 }, 'price'],
    ['a price with 3 decimals', { title: 'Show', price: 10.001 }, 'price'],
    ['a price as a string', { title: 'Show', price: '10' }, 'price'],
    ['a price as an object', { title: 'Show', price: { $gt: 0 } }, 'price'],
    ['a 2001-character description', { title: 'Show', price: 10, description: 'd'.repeat(2001) }, 'description'],
    ['a numeric description', { title: 'Show', price: 10, description: 7 }, 'description'],
    ['a javascript: image URL', { title: 'Show', price: 10, imageUrl: 'javascript:alert(1)' }, 'imageUrl'],
    ['an image URL that is not a URL', { title: 'Show', price: 10, imageUrl: 'picture' }, 'imageUrl'],
  ])('when the body has %s, then it answers 400 naming the field', async (_case, body, field) => {
    const res = await h.api.post('/api/tickets').set('Cookie', buildSeller().cookie).send(body);

    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual(expect.arrayContaining([{ field, message: expect.any(String) }]));
  });

  it('when both title and price are invalid, then it answers one error per field', async () => {
    const res = await h.api
      .post('/api/tickets')
      .set('Cookie', buildSeller().cookie)
      .send({ ...buildTicket(), title: '', price: -1 });

    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['price', 'title']);
  });

  it('when the price is exactly 0.50 or 999,999.99, or has 2 decimals, then it is accepted, and its event carries exact cents', async () => {
    const seller = buildSeller();
    const top = await h.api
      .post('/api/tickets')
      .set('Cookie', seller.cookie)
      .send(buildTicket({ title: 'Top', price: 999_999.99 }));
    const cheap = await h.api
      .post('/api/tickets')
      .set('Cookie', seller.cookie)
      .send(buildTicket({ title: 'Cheap', price: 0.5 }));
    const odd = await h.api
      .post('/api/tickets')
      .set('Cookie', seller.cookie)
      .send(buildTicket({ title: 'Odd', price: 0.29 + 0.01 + 1 }));
    expect([top.status, cheap.status, odd.status]).toEqual([201, 201, 201]);
    const cents = (id: string) =>
      (ticketEvents(h, 'ticket:created', id)[0] as { priceCents?: number } | undefined)?.priceCents;
    expect([cents(top.body.id), cents(cheap.body.id), cents(odd.body.id)]).toEqual([99_999_999, 50, 130]);
  });

  it('when the body is malformed JSON, an array, null or a string, then it answers 400, never 500', async () => {
    const cookie = buildSeller().cookie;
    for (const junk of ['{"title": ', '[]', 'null', '"text"', '123']) {
      const res = await h.api
        .post('/api/tickets')
        .set('Cookie', cookie)
        .set('Content-Type', 'application/json')
        .send(junk);

      expect(res.status).toBe(400);
      expect(Array.isArray(res.body.errors)).toBe(true);
    }
  });

  it('when the session cookie is forged, then it answers 401', async () => {
    const forged = [`session=${Buffer.from(JSON.stringify({ jwt: 'not-a-token' })).toString('base64')}`];

    const res = await h.api.post('/api/tickets').set('Cookie', forged).send(buildTicket());

    expect(res.status).toBe(401);
  });
});
