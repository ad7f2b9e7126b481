import { ticketSorts } from '@gittix/common/contracts';
import { buildPaymentCreatedEvent, inDays } from '@gittix/testing';
import { startTestService } from '@gittix/testing/harness';
import { Types } from 'mongoose';
import type { TicketJson } from '../src/models/ticket';
import { ticketsService } from '../src/service';
import { buildSeller, createTicket, orderTicket, type TicketsHarness } from './helpers';

// Issue 12: the public listing searches, filters and sorts. Each test gets its
// own database: the listing is global.
let h: TicketsHarness;
beforeEach(async () => {
  h = await startTestService(ticketsService);
});
afterEach(async () => {
  await h.stop();
});

type Listed = TicketJson & { eventDate: string | null };

function nextLink(res: { headers: Record<string, unknown> }): string | undefined {
  const link = res.headers.link;
  if (typeof link !== 'string') return undefined;
  return /^<([^>]+)>; rel="next"$/.exec(link)?.[1];
}

/** Every page of a listing, following `Link`; `between` runs after each page (to add tickets mid-walk). */
async function walk(url: string, between?: (page: number) => Promise<void>): Promise<Listed[][]> {
  const pages: Listed[][] = [];
  let next: string | undefined = url;
  while (next) {
    const res = await h.api.get(next).expect(200);
    pages.push(res.body as Listed[]);
    next = nextLink(res);
    if (between) await between(pages.length);
    if (pages.length > 100) throw new Error('the walk does not end');
  }
  return pages;
}

async function search(query: string): Promise<{ titles: string[]; count: string | undefined }> {
  const res = await h.api.get(`/api/tickets?${query}`).expect(200);
  return { titles: (res.body as Listed[]).map((t) => t.title), count: res.headers['x-total-count'] as string };
}

/**
 * A ticket stored as the service stored it before tickets had event details:
 * no eventDate, venue, city or category (written to the store directly, since
 * the API no longer creates such tickets).
 */
async function insertLegacyTicket(title: string, price = 20): Promise<string> {
  const _id = new Types.ObjectId();
  await h.service.deps.models.Ticket.collection.insertOne({
    _id,
    title,
    price,
    userId: new Types.ObjectId(),
    username: 'old-timer',
    description: '',
    imageUrl: null,
    status: 'available',
    version: 0,
    deleted: false,
    deletedAt: null,
    closedOrderIds: [],
    pendingEvents: [],
    outboxPending: false,
    createdAt: new Date(Date.now() - 86_400_000),
    updatedAt: new Date(Date.now() - 86_400_000),
  });
  return _id.toHexString();
}

describe('GET /api/tickets: search and filters', () => {
  it('q: every word must appear, case-insensitively, in the title, venue, city or description', async () => {
    const seller = buildSeller();
    await createTicket(h, seller, { title: 'Metallica live', venue: 'Olympiastadion', city: 'Berlin' });
    await createTicket(h, seller, {
      title: 'Jazz night',
      venue: 'Blue Note',
      city: 'New York',
      description: 'Metal free',
    });
    await createTicket(h, seller, {
      title: 'Opera',
      venue: 'La Scala',
      city: 'Milan',
      description: 'A night of Verdi',
    });

    expect((await search('q=METALLICA')).titles).toEqual(['Metallica live']);
    expect((await search('q=metal')).titles).toEqual(['Jazz night', 'Metallica live']); // a substring, while typing
    expect((await search('q=night')).titles).toEqual(['Opera', 'Jazz night']); // title or description
    expect((await search('q=blue%20york')).titles).toEqual(['Jazz night']); // venue and city, both words
    expect((await search('q=  night   verdi ')).titles).toEqual(['Opera']);
    expect((await search('q=night%20berlin')).titles).toEqual([]);
  });

  it('q: regular-expression characters are matched literally, never as a pattern', async () => {
    const seller = buildSeller();
    await createTicket(h, seller, { title: 'AC/DC (tribute)' });
    await createTicket(h, seller, { title: 'ACxDC' });

    expect((await search(`q=${encodeURIComponent('(tribute)')}`)).titles).toEqual(['AC/DC (tribute)']);
    expect((await search(`q=${encodeURIComponent('.*')}`)).titles).toEqual([]);
    expect((await search(`q=${encodeURIComponent('ac.dc')}`)).titles).toEqual([]);
  });

  it('city: exact and case-insensitive, never a part of another city', async () => {
    const seller = buildSeller();
    await createTicket(h, seller, { title: 'A', city: 'York' });
    await createTicket(h, seller, { title: 'B', city: 'New York' });
    await createTicket(h, seller, { title: 'C', city: '  new   YORK ' });

    expect((await search('city=york')).titles).toEqual(['A']);
    expect((await search('city=NEW%20york')).titles).toEqual(['C', 'B']);
  });

  it('category, and inclusive price bounds', async () => {
    const seller = buildSeller();
    await createTicket(h, seller, { title: 'Cheap show', price: 10, category: 'comedy' });
    await createTicket(h, seller, { title: 'Mid show', price: 25.5, category: 'comedy' });
    await createTicket(h, seller, { title: 'Dear match', price: 80, category: 'sports' });

    expect((await search('category=comedy')).titles).toEqual(['Mid show', 'Cheap show']);
    expect((await search('minPrice=25.5&maxPrice=80')).titles).toEqual(['Dear match', 'Mid show']);
    expect((await search('maxPrice=10')).titles).toEqual(['Cheap show']);
    expect((await search('category=comedy&minPrice=11')).titles).toEqual(['Mid show']);
  });

  it('from and to: inclusive, as date-times with an offset or as whole UTC days', async () => {
    const seller = buildSeller();
    const day = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10);
    await createTicket(h, seller, { title: 'Day start', eventDate: `${day}T00:00:00.000Z` });
    await createTicket(h, seller, { title: 'Day end', eventDate: `${day}T23:59:59.999Z` });
    await createTicket(h, seller, { title: 'Next day', eventDate: `${day}T23:00:00.000-02:00` });

    expect((await search(`from=${day}&to=${day}`)).titles).toEqual(['Day end', 'Day start']);
    expect((await search(`from=${day}T23:59:59.999Z`)).titles).toEqual(['Next day', 'Day end']);
    // A buyer two hours west of UTC asks for "their" day: 02:00Z to 01:59:59.999Z the next day.
    const west = `from=${day}T00:00:00.000-02:00&to=${day}T23:59:59.999-02:00`;
    expect((await search(west.replaceAll('+', '%2B'))).titles).toEqual(['Next day', 'Day end']);
  });

  it('a started event drops out of the listing, its count and the filters on its own; its seller still lists it, and it can still be read', async () => {
    const seller = buildSeller();
    const soon = await createTicket(h, seller, { title: 'Starting now', eventDate: inDays(2 / 86_400), city: 'Oslo' });
    await createTicket(h, seller, { title: 'Later', city: 'Bergen' });
    expect((await search('')).titles).toEqual(['Later', 'Starting now']);

    await new Promise((resolve) => setTimeout(resolve, Date.parse(String(soon.eventDate)) - Date.now() + 50));

    expect(await search('')).toEqual({ titles: ['Later'], count: '1' });
    expect(await search('sort=soonest')).toEqual({ titles: ['Later'], count: '1' });
    const filters = await h.api.get('/api/tickets/filters').expect(200);
    expect(filters.body.cities).toEqual([{ city: 'Bergen', count: 1 }]);
    const own = await h.api.get(`/api/tickets?userId=${seller.id}`).expect(200);
    expect((own.body as Listed[]).map((t) => t.title)).toEqual(['Later', 'Starting now']);
    await h.api.get(`/api/tickets/${soon.id}`).expect(200);
  });

  it('X-Total-Count: on the first page only, counting every match; past 1000 it says 1000+', async () => {
    const seller = buildSeller();
    for (let i = 0; i < 5; i++) await createTicket(h, seller, { title: `Gig ${i}`, price: 10 + i });

    const first = await h.api.get('/api/tickets?limit=2&minPrice=11').expect(200);
    expect(first.headers['x-total-count']).toBe('4');
    const second = await h.api.get(nextLink(first) ?? '').expect(200);
    expect(second.headers['x-total-count']).toBeUndefined();
    expect((await search('q=nothing-matches')).count).toBe('0');

    // 1001 more straight into the store: through the API this would take minutes.
    const base = (await h.api.get('/api/tickets?limit=1').expect(200)).body[0] as Listed;
    await h.service.deps.models.Ticket.collection.insertMany(
      Array.from({ length: 1001 }, () => ({
        _id: new Types.ObjectId(),
        title: 'Bulk',
        price: 5,
        userId: new Types.ObjectId(),
        username: 'bulk',
        description: '',
        imageUrl: null,
        eventDate: new Date(String(base.eventDate)),
        venue: 'Hall',
        city: 'Springfield',
        cityKey: 'springfield',
        category: 'concert',
        status: 'available',
        version: 0,
        deleted: false,
        closedOrderIds: [],
        pendingEvents: [],
        outboxPending: false,
      })),
    );
    expect((await search('limit=1')).count).toBe('1000+');
    expect((await search('limit=1&minPrice=6')).count).toBe('5');
  });
});

describe('GET /api/tickets: sorts and pagination', () => {
  /** 13 tickets with repeated prices and dates, so every sort has ties for the id to break. */
  async function createTies(): Promise<Listed[]> {
    const seller = buildSeller();
    const dates = [inDays(5), inDays(3)];
    const created: Listed[] = [];
    for (let i = 0; i < 13; i++)
      created.push(
        (await createTicket(h, seller, {
          title: `T${i}`,
          price: [30, 10, 20][i % 3],
          eventDate: dates[i % 2],
        })) as Listed,
      );
    return created;
  }

  const byId = (a: Listed, b: Listed) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const expectedOrder: Record<string, (a: Listed, b: Listed) => number> = {
    newest: (a, b) => byId(b, a),
    soonest: (a, b) => Date.parse(String(a.eventDate)) - Date.parse(String(b.eventDate)) || byId(a, b),
    price_asc: (a, b) => a.price - b.price || byId(a, b),
    price_desc: (a, b) => b.price - a.price || byId(b, a),
  };

  it.each(ticketSorts)(
    'sort=%s: the order is exact, ties broken by id, and walking 2 per page finds each ticket once',
    async (sort) => {
      const created = await createTies();
      const expected = [...created].sort(expectedOrder[sort]).map((t) => t.title);

      const pages = await walk(`/api/tickets?sort=${sort}&limit=2`);

      expect(pages.map((p) => p.length)).toEqual([2, 2, 2, 2, 2, 2, 1]);
      expect(pages.flat().map((t) => t.title)).toEqual(expected);
    },
  );

  it.each(ticketSorts)(
    'sort=%s: tickets added during a walk never duplicate or drop the ones that were there',
    async (sort) => {
      const created = await createTies();
      const seller = buildSeller();

      const pages = await walk(`/api/tickets?sort=${sort}&limit=3&maxPrice=30`, async (page) => {
        // Cheaper, dearer, sooner and later than everything, and in the middle.
        await createTicket(h, seller, { title: `New ${page}a`, price: 5, eventDate: inDays(1) });
        await createTicket(h, seller, { title: `New ${page}b`, price: 25, eventDate: inDays(4) });
        await createTicket(h, seller, { title: `New ${page}c`, price: 30, eventDate: inDays(30) });
      });

      const titles = pages.flat().map((t) => t.title);
      expect(new Set(titles).size).toBe(titles.length);
      const old = titles.filter((t) => t.startsWith('T'));
      expect(old).toEqual([...created].sort(expectedOrder[sort]).map((t) => t.title));
    },
  );

  it('the filters stay on every page the Link header names', async () => {
    const seller = buildSeller();
    for (let i = 0; i < 5; i++)
      await createTicket(h, seller, { title: `Rock ${i}`, city: 'Leeds', category: 'concert' });
    for (let i = 0; i < 3; i++) await createTicket(h, seller, { title: `Rock elsewhere ${i}`, city: 'Hull' });

    const first = await h.api.get('/api/tickets?q=rock&city=leeds&sort=price_asc&limit=2').expect(200);
    const link = nextLink(first) ?? '';
    expect(Object.fromEntries(new URLSearchParams(link.split('?')[1]))).toEqual({
      limit: '2',
      q: 'rock',
      city: 'leeds',
      sort: 'price_asc',
      cursor: expect.any(String),
    });
    const pages = await walk('/api/tickets?q=rock&city=leeds&sort=price_asc&limit=2');
    expect(pages.flat().map((t) => t.city)).toEqual(['Leeds', 'Leeds', 'Leeds', 'Leeds', 'Leeds']);
  });

  it('reserved, sold and deleted tickets are never listed, in any sort', async () => {
    const seller = buildSeller();
    const [a, b, c, d] = [
      await createTicket(h, seller, { title: 'a' }),
      await createTicket(h, seller, { title: 'b' }),
      await createTicket(h, seller, { title: 'c' }),
      await createTicket(h, seller, { title: 'd' }),
    ];
    await orderTicket(h, b);
    const { orderId } = await orderTicket(h, c);
    await h.bus.deliver('payment:created', buildPaymentCreatedEvent({ orderId }));
    await h.api.delete(`/api/tickets/${d.id}`).set('Cookie', seller.cookie).expect(204);

    for (const sort of ticketSorts) expect((await search(`sort=${sort}`)).titles).toEqual([a.title]);
  });
});

describe('GET /api/tickets: many buyers at once', () => {
  it('identical listings asked together all get the whole page, and one asked while they run still sees a ticket listed before it asked', async () => {
    const seller = buildSeller();
    for (let i = 0; i < 5; i++) await createTicket(h, seller, { title: `Crowd show ${i}` });
    const crowd = Array.from({ length: 20 }, () => h.api.get('/api/tickets?sort=price_asc'));
    const pending = Promise.all(crowd.map(async (r) => await r));
    // Listed while the crowd's queries run; the next request was sent after its 201.
    const listed = await createTicket(h, seller, { title: 'Listed mid-crowd', price: 1 });
    const after = await h.api.get('/api/tickets?sort=price_asc').expect(200);

    for (const res of await pending) {
      expect(res.status).toBe(200);
      const titles = (res.body as Listed[]).map((t) => t.title);
      expect(titles.filter((t) => t.startsWith('Crowd show'))).toHaveLength(5);
    }
    expect((after.body as Listed[])[0]?.id).toBe(listed.id);
    expect(after.headers['x-total-count']).toBe('6');
  });
});

describe('tickets listed before tickets had event details', () => {
  it('are readable with the fields null, listed after every dated ticket in every sort, and left out by filters they cannot match', async () => {
    const seller = buildSeller();
    const oldCheap = await insertLegacyTicket('Old cheap', 1);
    const oldDear = await insertLegacyTicket('Old dear', 500);
    await createTicket(h, seller, { title: 'New mid', price: 50 });
    await createTicket(h, seller, { title: 'New low', price: 5 });

    const shown = await h.api.get(`/api/tickets/${oldCheap}`).expect(200);
    expect(shown.body).toMatchObject({ title: 'Old cheap', eventDate: null, venue: null, city: null, category: null });
    expect((await search('sort=newest')).titles).toEqual(['New low', 'New mid', 'Old dear', 'Old cheap']);
    expect((await search('sort=soonest')).titles.slice(2)).toEqual(['Old dear', 'Old cheap']);
    expect((await search('sort=price_asc')).titles).toEqual(['New low', 'New mid', 'Old cheap', 'Old dear']);
    expect((await search('sort=price_desc')).titles).toEqual(['New mid', 'New low', 'Old dear', 'Old cheap']);
    // A walk crosses from the dated to the undated tickets without losing one.
    const pages = await walk('/api/tickets?sort=price_asc&limit=1');
    expect(pages.flat().map((t) => t.title)).toEqual(['New low', 'New mid', 'Old cheap', 'Old dear']);
    expect((await search('q=old')).titles).toEqual(['Old dear', 'Old cheap']);
    expect((await search('q=old&city=springfield')).titles).toEqual([]);
    expect((await search(`from=${new Date().toISOString().slice(0, 10)}`)).titles).toEqual(['New low', 'New mid']);
    expect((await search('')).count).toBe('4');
    await h.api.get(`/api/tickets/${oldDear}`).expect(200);
  });
});

describe('GET /api/tickets: invalid parameters', () => {
  it.each([
    ['sort=cheapest', 'sort'],
    ['category=opera', 'category'],
    ['minPrice=abc', 'minPrice'],
    ['minPrice=-5', 'minPrice'],
    ['maxPrice=1.234', 'maxPrice'],
    ['minPrice=50&maxPrice=10', 'maxPrice'],
    ['from=tomorrow', 'from'],
    ['from=2031-02-30', 'from'],
    ['to=2031-06-05T20:00:00', 'to'],
    ['from=2031-06-06&to=2031-06-05', 'to'],
    [`q=${'x'.repeat(201)}`, 'q'],
    [`q=${Array.from({ length: 11 }, (_, i) => `w${i}`).join('+')}`, 'q'],
    [`city=${'c'.repeat(121)}`, 'city'],
    ['q=a&q=b', 'q'],
    ['city=York&city=Leeds', 'city'],
    ['cursor=not-a-cursor', 'cursor'],
  ])('%s → 400 naming %s', async (query, field) => {
    const res = await h.api.get(`/api/tickets?${query}`);

    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field, message: expect.any(String) }]);
  });

  it('a cursor of one sort is refused by another, and a damaged one is refused, never a 500', async () => {
    const seller = buildSeller();
    for (let i = 0; i < 3; i++) await createTicket(h, seller, { title: `S${i}` });
    const cursor =
      new URLSearchParams((nextLink(await h.api.get('/api/tickets?sort=price_asc&limit=1')) ?? '').split('?')[1]).get(
        'cursor',
      ) ?? '';
    const damaged = `${cursor.slice(0, -3)}AAA`;
    const truncated = cursor.slice(0, 20);

    for (const url of [
      `/api/tickets?sort=price_desc&cursor=${cursor}`,
      `/api/tickets?sort=newest&cursor=${cursor}`,
      `/api/tickets?sort=price_asc&cursor=${truncated}`,
      `/api/tickets?sort=price_asc&cursor=${'_'.repeat(31)}`,
    ]) {
      const res = await h.api.get(url);
      expect([url, res.status, res.body.errors]).toEqual([
        url,
        400,
        [{ field: 'cursor', message: expect.any(String) }],
      ]);
    }
    expect((await h.api.get(`/api/tickets?sort=price_asc&cursor=${damaged}`)).status).toBeLessThan(500);
  });

  it('empty parameters are no filter, as a cleared form sends them', async () => {
    await createTicket(h, buildSeller(), { title: 'Any' });

    expect((await search('q=&city=&category=&from=&to=&minPrice=&maxPrice=&sort=')).titles).toEqual(['Any']);
  });
});

describe('GET /api/tickets/filters', () => {
  it('counts the cities (any spelling as one) and categories of listed tickets only, most first', async () => {
    const seller = buildSeller();
    await createTicket(h, seller, { city: 'Leeds', category: 'concert' });
    await createTicket(h, seller, { city: 'LEEDS', category: 'concert' });
    await createTicket(h, seller, { city: ' leeds ', category: 'sports' });
    await createTicket(h, seller, { city: 'York', category: 'sports' });
    await createTicket(h, seller, { city: 'Hull', category: 'sports' });
    const reserved = await createTicket(h, seller, { city: 'Bath', category: 'comedy' });
    await orderTicket(h, reserved);
    const deleted = await createTicket(h, seller, { city: 'Ely', category: 'theatre' });
    await h.api.delete(`/api/tickets/${deleted.id}`).set('Cookie', seller.cookie).expect(204);
    await insertLegacyTicket('Undated');

    const res = await h.api.get('/api/tickets/filters').expect(200);

    expect(res.body.categories).toEqual([
      { category: 'sports', count: 3 },
      { category: 'concert', count: 2 },
    ]);
    expect(res.body.cities).toHaveLength(3);
    expect(res.body.cities[0]).toEqual({ city: expect.stringMatching(/^leeds$/i), count: 3 });
    expect(res.body.cities.slice(1)).toEqual([
      { city: 'Hull', count: 1 },
      { city: 'York', count: 1 },
    ]);
  });

  it('answers empty lists when nothing is listed', async () => {
    const res = await h.api.get('/api/tickets/filters').expect(200);
    expect(res.body).toEqual({ cities: [], categories: [] });
  });
});
