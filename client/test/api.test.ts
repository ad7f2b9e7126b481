import { orderStatuses } from '@gittix/common/contracts';
import {
  ApiError,
  createOrderWhenKnown,
  createTicket,
  fetchCurrentUser,
  fetchOrderPage,
  fetchTicket,
  fetchTicketFilters,
  fetchTicketPage,
  keys,
  listPayments,
  parseNextLink,
  parseTotalCount,
  reshapeOrder,
  reshapePayment,
  reshapeTicket,
  signIn,
  updateTicket,
} from '../lib/api';

const ORDER_ID = '665f1c2e9b1d4a0012345678';
const OTHER_ORDER_ID = '665f1c2e9b1d4a0087654321';

function json(body: unknown, init: { status?: number; headers?: Record<string, string> } = {}): Response {
  return new Response(JSON.stringify(body), {
    status: init.status ?? 200,
    headers: { 'content-type': 'application/json', ...init.headers },
  });
}

let fetchMock: jest.SpiedFunction<typeof fetch>;

beforeEach(() => {
  fetchMock = jest.spyOn(globalThis, 'fetch');
});

afterEach(() => {
  fetchMock.mockRestore();
});

/** The URL of the n-th fetch call. */
function requestedUrl(n = 0): string {
  const input = fetchMock.mock.calls[n]?.[0];
  return typeof input === 'string' ? input : input instanceof URL ? input.href : String(input?.url);
}

const apiOrder = (id: string, status = 'created') => ({
  id,
  userId: 'u1',
  status,
  expiresAt: '2026-01-01T00:15:00.000Z',
  ticket: { id: 't1', title: 'Concert', price: 25 },
  version: 0,
  createdAt: '2026-01-01T00:00:00.000Z',
});

describe('reshapeTicket', () => {
  const publicTicket = { id: 't1', title: 'Concert', price: 25.5, userId: 'u1', version: 2 };

  it('needs no orderId: the public ticket JSON omits it', () => {
    expect(reshapeTicket(publicTicket)).toEqual({
      id: 't1',
      title: 'Concert',
      price: 25.5,
      sellerId: 'u1',
      sellerName: 'A seller',
      description: '',
      imageUrl: null,
      eventDate: null,
      venue: null,
      city: null,
      category: null,
      status: 'available',
      orderId: null,
      version: 2,
      createdAt: null,
    });
    expect(reshapeTicket({ ...publicTicket, orderId: null }).orderId).toBeNull();
  });

  it("keeps the seller's view of the order holding the ticket", () => {
    expect(reshapeTicket({ ...publicTicket, status: 'reserved', orderId: ORDER_ID })).toMatchObject({
      status: 'reserved',
      orderId: ORDER_ID,
    });
  });

  it('reads the optional fields', () => {
    const ticket = reshapeTicket({
      ...publicTicket,
      username: 'sam',
      description: 'Row 5',
      imageUrl: 'https://img.example/t.png',
      status: 'sold',
      createdAt: '2026-01-01T00:00:00.000Z',
    });
    expect(ticket).toMatchObject({
      sellerName: 'sam',
      description: 'Row 5',
      imageUrl: 'https://img.example/t.png',
      status: 'sold',
      createdAt: '2026-01-01T00:00:00.000Z',
    });
  });

  it('reads the event: when, where and what kind', () => {
    const ticket = reshapeTicket({
      ...publicTicket,
      eventDate: '2027-06-05T18:00:00.000Z',
      venue: 'Olympiastadion',
      city: 'Berlin',
      category: 'sports',
    });
    expect(ticket).toMatchObject({
      eventDate: '2027-06-05T18:00:00.000Z',
      venue: 'Olympiastadion',
      city: 'Berlin',
      category: 'sports',
    });
  });

  it('has no event details for a ticket listed before tickets had them, nor for ones it cannot read', () => {
    const legacy = { eventDate: null, venue: null, city: null, category: null };
    expect(reshapeTicket({ ...publicTicket, ...legacy })).toMatchObject(legacy);
    expect(reshapeTicket({ ...publicTicket, eventDate: 'soon', venue: '', city: '', category: 'opera' })).toMatchObject(
      legacy,
    );
  });

  it('treats an unknown status as available and an empty image URL as none', () => {
    expect(reshapeTicket({ ...publicTicket, status: 'weird', imageUrl: '' })).toMatchObject({
      status: 'available',
      imageUrl: null,
    });
  });
});

describe('reshapeOrder', () => {
  it('reads an order', () => {
    expect(reshapeOrder(apiOrder('o1', 'complete'))).toEqual({
      id: 'o1',
      userId: 'u1',
      status: 'complete',
      expiresAt: '2026-01-01T00:15:00.000Z',
      ticket: { id: 't1', title: 'Concert', price: 25 },
      version: 0,
      createdAt: '2026-01-01T00:00:00.000Z',
    });
  });

  it("keeps every status of the orders service's contract", () => {
    expect(orderStatuses).toEqual(['created', 'complete', 'cancelled']);
    for (const status of orderStatuses) expect(reshapeOrder(apiOrder('o1', status)).status).toBe(status);
  });

  it('reads a status it does not know (the retired awaiting:payment too) as created', () => {
    expect(reshapeOrder(apiOrder('o1', 'awaiting:payment')).status).toBe('created');
    expect(reshapeOrder(apiOrder('o1', 'COMPLETE')).status).toBe('created');
  });

  it('names an untitled ticket and has no date when the API sends none', () => {
    const { createdAt: _createdAt, ...order } = apiOrder('o1');
    expect(reshapeOrder({ ...order, ticket: { id: 't1', price: 9.5 } })).toMatchObject({
      ticket: { id: 't1', title: 'Ticket', price: 9.5 },
      createdAt: null,
    });
  });
});

describe('reshapePayment', () => {
  const payment = { id: 'p1', orderId: ORDER_ID, amount: 2500, currency: 'usd' };

  it('reads a listed payment', () => {
    expect(reshapePayment({ ...payment, status: 'refunded', createdAt: '2026-01-01T00:00:00.000Z' })).toEqual({
      ...payment,
      status: 'refunded',
      createdAt: '2026-01-01T00:00:00.000Z',
    });
  });

  it('never reports a refund the API did not', () => {
    expect(reshapePayment(payment).status).toBe('succeeded'); // the POST answer has no status
    expect(reshapePayment({ ...payment, status: 'succeeded' }).status).toBe('succeeded');
    expect(reshapePayment({ ...payment, status: 'partially_refunded' }).status).toBe('succeeded');
  });
});

describe('parseNextLink', () => {
  it('returns the rel="next" URL of the tickets listing, relative', () => {
    expect(parseNextLink('</api/tickets?limit=50&cursor=abc>; rel="next"')).toBe('/api/tickets?limit=50&cursor=abc');
    expect(parseNextLink('<http://tickets-srv:3000/api/tickets?cursor=abc>; rel=next')).toBe('/api/tickets?cursor=abc');
  });

  it('picks next among other relations', () => {
    expect(parseNextLink('</api/tickets?cursor=a>; rel="prev", </api/tickets?cursor=b>; rel="next"')).toBe(
      '/api/tickets?cursor=b',
    );
  });

  it('follows only a link to the listing being paged', () => {
    expect(parseNextLink('</api/orders?cursor=abc>; rel="next"', '/api/orders')).toBe('/api/orders?cursor=abc');
    expect(parseNextLink('</api/orders?cursor=abc>; rel="next"')).toBeNull();
    expect(parseNextLink('</api/users/signout>; rel="next"', '/api/orders')).toBeNull();
    expect(parseNextLink('<https://evil.example/api/orders?x=1>; rel="next"', '/api/orders')).toBe('/api/orders?x=1');
  });

  it('is null without a next link', () => {
    expect(parseNextLink(null)).toBeNull();
    expect(parseNextLink('')).toBeNull();
    expect(parseNextLink('</api/tickets?cursor=a>; rel="prev"')).toBeNull();
    expect(parseNextLink('garbage')).toBeNull();
  });
});

describe('parseTotalCount', () => {
  it.each([
    ['0', { count: 0, atLeast: false }],
    ['12', { count: 12, atLeast: false }],
    [' 7 ', { count: 7, atLeast: false }],
    ['1000', { count: 1000, atLeast: false }],
    ['1000+', { count: 1000, atLeast: true }],
  ])('reads X-Total-Count %j', (header, total) => {
    expect(parseTotalCount(header)).toEqual(total);
  });

  it.each([null, '', 'many', '-1', '12.5', '1e3', '+5', '10++', '1,000'])('has no count for %j', (header) => {
    expect(parseTotalCount(header)).toBeNull();
  });
});

describe('fetchTicketPage', () => {
  it('reads the tickets, the next page and the count of a search', async () => {
    fetchMock.mockResolvedValueOnce(
      json([{ id: 't1', title: 'A', price: 1, userId: 'u1', version: 0 }], {
        headers: {
          link: '</api/tickets?q=jazz&city=Berlin&limit=50&cursor=c1>; rel="next"',
          'x-total-count': '1000+',
        },
      }),
    );
    const page = await fetchTicketPage('/api/tickets?q=jazz&city=Berlin');
    expect(requestedUrl()).toBe('/api/tickets?q=jazz&city=Berlin');
    expect(page.tickets.map((t) => t.id)).toEqual(['t1']);
    // "Load more" follows it: the next page keeps the search.
    expect(page.next).toBe('/api/tickets?q=jazz&city=Berlin&limit=50&cursor=c1');
    expect(page.total).toEqual({ count: 1000, atLeast: true });
  });

  it('has no count on a page that does not tell (a next page, the seller listing)', async () => {
    fetchMock.mockResolvedValueOnce(json([]));
    const page = await fetchTicketPage(keys.sellerTickets('u1'));
    expect(requestedUrl()).toBe('/api/tickets?userId=u1');
    expect(page).toEqual({ tickets: [], next: null, total: null });
  });

  it('reports a refused search with the parameter it names', async () => {
    fetchMock.mockResolvedValueOnce(
      json(
        { errors: [{ message: 'from must be a date (2027-06-05) or an ISO date-time', field: 'from' }] },
        {
          status: 400,
        },
      ),
    );
    await expect(fetchTicketPage('/api/tickets?from=soon')).rejects.toMatchObject({
      status: 400,
      errors: [{ field: 'from' }],
    });
  });
});

describe('fetchTicketFilters', () => {
  it('reads the cities and categories with their counts', async () => {
    const filters = {
      cities: [
        { city: 'Berlin', count: 3 },
        { city: 'Lisbon', count: 1 },
      ],
      categories: [
        { category: 'concert', count: 3 },
        { category: 'sports', count: 1 },
      ],
    };
    fetchMock.mockResolvedValueOnce(json(filters));
    await expect(fetchTicketFilters()).resolves.toEqual(filters);
    expect(requestedUrl()).toBe('/api/tickets/filters');
  });

  it('leaves out what it cannot read, and never fails on it', async () => {
    fetchMock.mockResolvedValueOnce(
      json({
        cities: [{ city: 'Berlin', count: 2 }, { city: '  ', count: 1 }, { city: 'Oslo', count: 0 }, { count: 4 }],
        categories: [
          { category: 'opera', count: 2 },
          { category: 'comedy', count: 1.5 },
          { category: 'other', count: 1 },
        ],
      }),
    );
    await expect(fetchTicketFilters()).resolves.toEqual({
      cities: [{ city: 'Berlin', count: 2 }],
      categories: [{ category: 'other', count: 1 }],
    });
    fetchMock.mockResolvedValueOnce(json({}));
    await expect(fetchTicketFilters()).resolves.toEqual({ cities: [], categories: [] });
  });
});

describe('fetchOrderPage', () => {
  it('asks for the first page and follows the Link header', async () => {
    fetchMock.mockResolvedValueOnce(
      json([apiOrder('o2'), apiOrder('o1', 'complete')], {
        headers: { link: '</api/orders?limit=50&cursor=o1>; rel="next"' },
      }),
    );
    const page = await fetchOrderPage(keys.orders);
    expect(requestedUrl()).toBe('/api/orders');
    expect(page.orders.map((o) => [o.id, o.status])).toEqual([
      ['o2', 'created'],
      ['o1', 'complete'],
    ]);
    expect(page.next).toBe('/api/orders?limit=50&cursor=o1');
  });

  it('is one last page when the orders service sends no Link header', async () => {
    fetchMock.mockResolvedValueOnce(json([apiOrder('o1')]));
    await expect(fetchOrderPage(keys.orders)).resolves.toMatchObject({ orders: [{ id: 'o1' }], next: null });
  });

  it('does not follow a link to another listing', async () => {
    fetchMock.mockResolvedValueOnce(json([], { headers: { link: '</api/tickets?cursor=x>; rel="next"' } }));
    await expect(fetchOrderPage(keys.orders)).resolves.toEqual({ orders: [], next: null });
  });

  it('goes through the server transport with the forwarded cookie', async () => {
    fetchMock.mockResolvedValueOnce(json([]));
    await fetchOrderPage(keys.orders, { baseUrl: 'http://gateway:3000', headers: { cookie: 'session=abc' } });
    expect(requestedUrl()).toBe('http://gateway:3000/api/orders');
    expect(fetchMock.mock.calls[0]?.[1]?.headers).toMatchObject({ cookie: 'session=abc' });
  });
});

describe('listPayments', () => {
  const payment = {
    id: 'p1',
    orderId: ORDER_ID,
    amount: 2500,
    currency: 'usd',
    status: 'refunded',
    createdAt: '2026-01-01T00:00:00.000Z',
  };

  it("asks for the order's payments and reads them", async () => {
    fetchMock.mockResolvedValueOnce(json([payment]));
    await expect(listPayments(ORDER_ID)).resolves.toEqual([payment]);
    expect(requestedUrl()).toBe(`/api/payments?orderId=${ORDER_ID}`);
  });

  it('treats a payments service without the route (404) as no payments', async () => {
    fetchMock.mockResolvedValueOnce(json({ errors: [{ message: 'Not found' }] }, { status: 404 }));
    await expect(listPayments(ORDER_ID)).resolves.toEqual([]);
    fetchMock.mockResolvedValueOnce(new Response('<html>404</html>', { status: 404 }));
    await expect(listPayments(ORDER_ID)).resolves.toEqual([]);
  });

  it("keeps only this order's payments, whatever the service sends", async () => {
    fetchMock.mockResolvedValueOnce(json([{ ...payment, id: 'p2', orderId: OTHER_ORDER_ID }, payment]));
    await expect(listPayments(ORDER_ID)).resolves.toEqual([payment]);
  });

  it('reports other failures', async () => {
    fetchMock.mockResolvedValueOnce(new Response('bad gateway', { status: 502 }));
    await expect(listPayments(ORDER_ID)).rejects.toMatchObject({ name: 'ApiError', status: 502 });
    fetchMock.mockResolvedValueOnce(json({ errors: [{ message: 'Please sign in' }] }, { status: 401 }));
    await expect(listPayments(ORDER_ID)).rejects.toMatchObject({ status: 401, message: 'Please sign in' });
  });
});

describe('ApiError', () => {
  it('comes from the API body, or a friendly message when there is none', async () => {
    fetchMock.mockResolvedValueOnce(
      json(
        {
          errors: [
            { message: 'Title is required', field: 'title' },
            { message: 'Too long', field: 'title' },
            { message: 'Try again' },
          ],
        },
        { status: 400 },
      ),
    );
    const error = await fetchOrderPage(keys.orders).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    const apiError = error as ApiError;
    expect(apiError.fieldErrors()).toEqual({ title: 'Title is required' });
    expect(apiError.generalErrors(['title'])).toEqual(['Try again']);
    expect(apiError.generalErrors()).toEqual(['Title is required', 'Too long', 'Try again']);

    fetchMock.mockResolvedValueOnce(new Response('', { status: 429 }));
    await expect(fetchOrderPage(keys.orders)).rejects.toMatchObject({
      message: 'Too many attempts. Please wait a moment and try again.',
    });
  });

  it('is status 0 when GitTix cannot be reached', async () => {
    fetchMock.mockRejectedValueOnce(new TypeError('fetch failed'));
    await expect(fetchOrderPage(keys.orders)).rejects.toMatchObject({ status: 0 });
  });
});

describe('error bodies', () => {
  async function failure(response: Response): Promise<ApiError> {
    fetchMock.mockResolvedValueOnce(response);
    const error = await fetchTicket(keys.ticket(ORDER_ID)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    return error as ApiError;
  }

  it("turns the API's {errors:[{message, field?}]} into the messages, in order", async () => {
    const error = await failure(
      json(
        {
          errors: [
            { message: 'Price must be at least 0.50', field: 'price' },
            { message: 'Image URL must be an http(s) URL', field: 'imageUrl' },
          ],
        },
        { status: 400 },
      ),
    );
    expect(error.status).toBe(400);
    expect(error.message).toBe('Price must be at least 0.50; Image URL must be an http(s) URL');
    expect(error.errors).toEqual([
      { message: 'Price must be at least 0.50', field: 'price' },
      { message: 'Image URL must be an http(s) URL', field: 'imageUrl' },
    ]);
    expect(error.fieldErrors()).toEqual({
      price: 'Price must be at least 0.50',
      imageUrl: 'Image URL must be an http(s) URL',
    });
    // A field the form does not show is a general message.
    expect(error.generalErrors(['price'])).toEqual(['Image URL must be an http(s) URL']);
  });

  it.each([
    [401, 'Please sign in first.'],
    [403, 'You are not allowed to do that.'],
    [404, 'Not found.'],
    [413, 'That is too much data.'],
    [429, 'Too many attempts. Please wait a moment and try again.'],
    [500, 'Something went wrong on our side. Please try again.'],
    [503, 'Something went wrong on our side. Please try again.'],
    [418, 'Request failed (418).'],
  ])('gives a %d without an error body a friendly message', async (status, message) => {
    const error = await failure(new Response('<html>proxy error</html>', { status }));
    expect([error.status, error.message, error.errors]).toEqual([status, message, [{ message }]]);
    expect(error.fieldErrors()).toEqual({});
  });

  it.each([
    ['an empty list', { errors: [] }],
    ['entries without a message', { errors: [{ field: 'title' }] }],
    ['a message that is not text', { errors: [{ message: 42 }] }],
    ['errors that are not a list', { errors: 'Title is required' }],
    ['another shape', { message: 'Title is required' }],
    ['null', null],
  ])('does not trust a body with %s', async (_what, body) => {
    const error = await failure(json(body, { status: 400 }));
    expect(error.errors).toEqual([{ message: 'Request failed (400).' }]);
  });
});

describe('ticket requests', () => {
  const saved = { id: ORDER_ID, title: 'Concert', price: 25, userId: 'u1', version: 1, imageUrl: null };

  function sentBody(n = 0): unknown {
    const body = fetchMock.mock.calls[n]?.[1]?.body;
    return typeof body === 'string' ? JSON.parse(body) : body;
  }

  it('sends an image removal on PUT as imageUrl: null, and reads the answer', async () => {
    fetchMock.mockResolvedValueOnce(json(saved));
    const ticket = await updateTicket(ORDER_ID, { title: 'Concert', price: 25, description: '', imageUrl: null });
    expect(requestedUrl()).toBe(`/api/tickets/${ORDER_ID}`);
    expect(fetchMock.mock.calls[0]?.[1]).toMatchObject({
      method: 'PUT',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
    });
    expect(sentBody()).toEqual({ title: 'Concert', price: 25, description: '', imageUrl: null });
    expect(ticket).toMatchObject({ id: ORDER_ID, imageUrl: null, version: 1 });
  });

  it('creates with POST, the event date as its ISO string', async () => {
    const event = {
      eventDate: '2027-06-05T20:00:00.000+02:00',
      venue: 'Olympiastadion',
      city: 'Berlin',
      category: 'sports' as const,
    };
    fetchMock.mockResolvedValueOnce(
      json(
        { ...saved, imageUrl: 'https://img.example/t.png', ...event, eventDate: '2027-06-05T18:00:00.000Z' },
        { status: 201 },
      ),
    );
    const ticket = await createTicket({ title: 'Concert', price: 25, imageUrl: 'https://img.example/t.png', ...event });
    expect([requestedUrl(), fetchMock.mock.calls[0]?.[1]?.method]).toEqual(['/api/tickets', 'POST']);
    expect(sentBody()).toEqual({ title: 'Concert', price: 25, imageUrl: 'https://img.example/t.png', ...event });
    expect(ticket).toMatchObject({ imageUrl: 'https://img.example/t.png', eventDate: '2027-06-05T18:00:00.000Z' });
  });
});

describe('users', () => {
  it('reads the current user, with a username from the email when there is none', async () => {
    fetchMock.mockResolvedValueOnce(json({ currentUser: { id: 'u1', email: 'sam@example.test', iat: 1, exp: 2 } }));
    await expect(fetchCurrentUser()).resolves.toEqual({ id: 'u1', email: 'sam@example.test', username: 'sam' });
    fetchMock.mockResolvedValueOnce(json({ currentUser: null }));
    await expect(fetchCurrentUser()).resolves.toBeNull();
  });

  it('signs in with POST and reads the user', async () => {
    fetchMock.mockResolvedValueOnce(json({ id: 'u1', email: 'sam@example.test', username: 'Sam' }));
    await expect(signIn({ email: 'sam@example.test', password: 'pw' })).resolves.toEqual({
      id: 'u1',
      email: 'sam@example.test',
      username: 'Sam',
    });
    expect([requestedUrl(), fetchMock.mock.calls[0]?.[1]?.method]).toEqual(['/api/users/signin', 'POST']);
  });
});

describe('createOrderWhenKnown', () => {
  it('retries while the orders service has not heard of the ticket yet', async () => {
    fetchMock
      .mockResolvedValueOnce(json({ errors: [{ message: 'Ticket not found' }] }, { status: 404 }))
      .mockResolvedValueOnce(json(apiOrder('o1'), { status: 201 }));
    await expect(createOrderWhenKnown('t1', [0, 0])).resolves.toMatchObject({ id: 'o1' });
    expect(fetchMock).toHaveBeenCalledTimes(2);
  });

  it('gives up with a friendly message', async () => {
    fetchMock.mockImplementation(() => Promise.resolve(json({ errors: [{ message: 'nope' }] }, { status: 404 })));
    await expect(createOrderWhenKnown('t1', [0])).rejects.toMatchObject({
      status: 404,
      message: expect.stringContaining('not ready for sale yet') as unknown,
    });
    expect(fetchMock).toHaveBeenCalledTimes(2);
  });

  it('does not retry other errors', async () => {
    fetchMock.mockResolvedValueOnce(json({ errors: [{ message: 'Reserved' }] }, { status: 400 }));
    await expect(createOrderWhenKnown('t1', [0, 0])).rejects.toMatchObject({ status: 400, message: 'Reserved' });
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });
});
