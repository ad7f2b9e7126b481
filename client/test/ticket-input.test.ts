import { maxEventYearsAhead, ticketBodySchema, ticketFieldLimits, ticketUpdateSchema } from '@gittix/common/contracts';
import type { Ticket } from '../lib/api';
import type { OffsetOf } from '../lib/local-time';
import { ticketFormValues, type TicketFormValues } from '../lib/ticket-form-values';
import { parsePriceInput, validateTicketForm } from '../lib/ticket-input';

/** The seller's clock in these tests: UTC+2, whatever zone they run in. */
const plusTwo: OffsetOf = () => -120;

const pad = (n: number) => String(n).padStart(2, '0');
/** A datetime-local value (on the UTC+2 clock) `days` from now. */
function inDays(days: number): string {
  const d = new Date(Date.now() + days * 86_400_000 + 2 * 3_600_000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

const nextMonth = inDays(30);

const filled: TicketFormValues = {
  title: 'Concert, Row 5',
  eventDate: nextMonth,
  venue: 'Olympiastadion',
  city: 'Berlin',
  category: 'concert',
  price: '25',
  description: 'Seat 12.',
  imageUrl: 'https://img.example/t.png',
};
const nextMonthIso = `${nextMonth}:00.000+02:00`;
const event = { eventDate: nextMonthIso, venue: 'Olympiastadion', city: 'Berlin', category: 'concert' };

const sell = (values: TicketFormValues) => validateTicketForm(values, { offsetOf: plusTwo });
const edit = (values: TicketFormValues, original: TicketFormValues = filled) =>
  validateTicketForm(values, { original, offsetOf: plusTwo });

describe('parsePriceInput', () => {
  it.each([
    ['25', 25],
    [' 19.99 ', 19.99],
    ['$7.5', 7.5],
    ['$ 7.50', 7.5],
    ['0.50', 0.5],
    ['0.5', 0.5],
    ['999999.99', 999_999.99],
    ['000012', 12],
  ])('accepts %j as %d', (input, price) => {
    expect(parsePriceInput(input)).toEqual({ price });
  });

  it.each([
    ['', 'Enter a price'],
    ['   ', 'Enter a price'],
    ['$', 'Enter a price'],
    ['abc', 'Enter a price like 25 or 19.99'],
    ['-3', 'Enter a price like 25 or 19.99'],
    ['1e3', 'Enter a price like 25 or 19.99'],
    ['1,000', 'Enter a price like 25 or 19.99'],
    ['.5', 'Enter a price like 25 or 19.99'],
    ['1.999', 'Use at most two decimals, like 19.99'],
    ['0', 'The price must be at least $0.50'],
    ['0.00', 'The price must be at least $0.50'],
    ['0.49', 'The price must be at least $0.50'],
    ['1000000', 'The price can be at most $999,999.99'],
    ['999999999.99', 'The price can be at most $999,999.99'],
  ])('rejects %j', (input, error) => {
    expect(parsePriceInput(input)).toEqual({ error });
  });

  it('accepts exactly what the API accepts at the edges of the range', () => {
    for (const input of ['0.49', '0.50', '0.51', '999999.98', '999999.99', '1000000.00', '12.345']) {
      const parsed = parsePriceInput(input);
      const api = ticketBodySchema.safeParse({ title: 'T', price: Number(input), ...event });
      expect([input, 'price' in parsed]).toEqual([input, api.success]);
    }
  });
});

describe('validateTicketForm: selling', () => {
  it('sends the event with the date on the seller’s clock, trims the fields, the price as a number', () => {
    const result = sell({
      ...filled,
      title: '  Concert  ',
      venue: '  Olympia   stadion ',
      city: ' Berlin ',
      price: ' $19.9 ',
      description: '  Row 5\n',
      imageUrl: ' https://img.example/a.png ',
    });
    expect(result).toEqual({
      errors: {},
      input: {
        title: 'Concert',
        price: 19.9,
        description: 'Row 5',
        imageUrl: 'https://img.example/a.png',
        eventDate: nextMonthIso,
        venue: 'Olympia stadion',
        city: 'Berlin',
        category: 'concert',
      },
    });
  });

  it('leaves the image out of a new ticket without one', () => {
    const result = sell({ ...filled, imageUrl: '   ' });
    expect(result.input).toEqual({ title: 'Concert, Row 5', price: 25, description: 'Seat 12.', ...event });
    expect(result.input && 'imageUrl' in result.input).toBe(false);
  });

  it('needs the date, the venue, the city and the category', () => {
    expect(sell({ ...filled, eventDate: '', venue: '  ', city: '', category: '' })).toEqual({
      errors: {
        eventDate: 'Enter the date and time of the event',
        venue: 'Enter the venue',
        city: 'Enter the city',
        category: 'Choose a category',
      },
    });
  });

  it('refuses an event that has started or is too far ahead, as the API does', () => {
    expect(sell({ ...filled, eventDate: inDays(-1) }).errors).toEqual({ eventDate: 'The event must be in the future' });
    expect(sell({ ...filled, eventDate: inDays(366 * maxEventYearsAhead + 2) }).errors).toEqual({
      eventDate: `The event must be within ${maxEventYearsAhead} years from now`,
    });
    expect(sell({ ...filled, eventDate: inDays(366 * maxEventYearsAhead - 2) }).errors).toEqual({});
  });

  it('refuses a date and time that is none', () => {
    expect(sell({ ...filled, eventDate: '2027-02-30T20:00' }).errors).toEqual({
      eventDate: 'Enter a valid date and time',
    });
  });

  it('refuses a category the API does not have', () => {
    expect(sell({ ...filled, category: 'opera' }).errors).toEqual({ category: 'Choose a category' });
  });

  it('names every field that is wrong, and sends nothing', () => {
    const result = sell({
      title: ' ',
      eventDate: '',
      venue: 'v'.repeat(121),
      city: 'c'.repeat(121),
      category: '',
      price: 'free',
      description: 'x'.repeat(2001),
      imageUrl: 'ftp://img.example/a.png',
    });
    expect(result).toEqual({
      errors: {
        title: 'Enter a title',
        eventDate: 'Enter the date and time of the event',
        venue: 'Use at most 120 characters',
        city: 'Use at most 120 characters',
        category: 'Choose a category',
        price: 'Enter a price like 25 or 19.99',
        description: 'Use at most 2000 characters',
        imageUrl: 'Enter a web address starting with http:// or https://',
      },
    });
  });

  it('stops at the limits the API has', () => {
    expect(ticketFieldLimits).toEqual({ title: 120, description: 2000, imageUrl: 2048, venue: 120, city: 120 });
    const atLimits = {
      ...filled,
      title: 't'.repeat(120),
      venue: 'v'.repeat(120),
      city: 'c'.repeat(120),
      description: 'd'.repeat(2000),
      imageUrl: `https://img.example/${'i'.repeat(2048 - 'https://img.example/'.length)}`,
    };
    expect(sell(atLimits).errors).toEqual({});
    const over = sell({
      ...atLimits,
      title: `${atLimits.title}t`,
      venue: `${atLimits.venue}v`,
      city: `${atLimits.city}c`,
      description: `${atLimits.description}d`,
      imageUrl: `${atLimits.imageUrl}i`,
    });
    expect(over).toEqual({
      errors: {
        title: 'Use at most 120 characters',
        venue: 'Use at most 120 characters',
        city: 'Use at most 120 characters',
        description: 'Use at most 2000 characters',
        imageUrl: 'Use at most 2048 characters',
      },
    });
  });

  it.each(['not a url', 'javascript:alert(1)', 'data:image/png;base64,AAAA', '/relative/path.png'])(
    'refuses the image link %j',
    (imageUrl) => {
      expect(sell({ ...filled, imageUrl }).errors).toEqual({
        imageUrl: 'Enter a web address starting with http:// or https://',
      });
    },
  );
});

describe('validateTicketForm: editing', () => {
  it('sends only the event fields the seller changed', () => {
    expect(edit(filled).input).toEqual({
      title: 'Concert, Row 5',
      price: 25,
      description: 'Seat 12.',
      imageUrl: 'https://img.example/t.png',
    });
    const later = inDays(60);
    expect(edit({ ...filled, eventDate: later, city: 'Potsdam' }).input).toEqual({
      title: 'Concert, Row 5',
      price: 25,
      description: 'Seat 12.',
      imageUrl: 'https://img.example/t.png',
      eventDate: `${later}:00.000+02:00`,
      city: 'Potsdam',
    });
  });

  it('keeps an event date that has passed when the seller leaves it as it is', () => {
    const past = { ...filled, eventDate: inDays(-3) };
    expect(edit({ ...past, title: 'Renamed' }, past)).toEqual({
      errors: {},
      input: { title: 'Renamed', price: 25, description: 'Seat 12.', imageUrl: 'https://img.example/t.png' },
    });
    // Moving it is checked as on create.
    expect(edit({ ...past, eventDate: inDays(-2) }, past).errors).toEqual({
      eventDate: 'The event must be in the future',
    });
  });

  it('refuses to empty an event field the ticket has (the API would keep it)', () => {
    expect(edit({ ...filled, eventDate: '', venue: ' ', city: '', category: '' }).errors).toEqual({
      eventDate: 'Enter the date and time of the event',
      venue: 'Enter the venue',
      city: 'Enter the city',
      category: 'Choose a category',
    });
  });

  it('lets a ticket listed before tickets had event details stay without them, or gain them', () => {
    const legacy = { ...filled, eventDate: '', venue: '', city: '', category: '' };
    expect(edit(legacy, legacy).input).toEqual({
      title: 'Concert, Row 5',
      price: 25,
      description: 'Seat 12.',
      imageUrl: 'https://img.example/t.png',
    });
    expect(edit({ ...legacy, venue: 'Olympiastadion' }, legacy).input).toMatchObject({ venue: 'Olympiastadion' });
  });

  it('removes the image (null) when the seller clears it', () => {
    const result = edit({ ...filled, imageUrl: '' });
    expect(result.input).toEqual({ title: 'Concert, Row 5', price: 25, description: 'Seat 12.', imageUrl: null });
    // The body survives JSON with the removal in it (undefined would be dropped: "keep").
    expect(JSON.parse(JSON.stringify(result.input))).toHaveProperty('imageUrl', null);
  });

  it('sends an emptied description as empty (the API clears it)', () => {
    expect(edit({ ...filled, description: '  ' }).input?.description).toBe('');
  });
});

describe('validateTicketForm: what it sends', () => {
  it('is only ever a body the API accepts, and the same body once the API has read it', () => {
    const selling: TicketFormValues[] = [
      filled,
      { ...filled, imageUrl: '' },
      { ...filled, price: '999999.99', category: 'other' },
      { ...filled, imageUrl: 'http://img.example/a.png', eventDate: inDays(1) },
    ];
    for (const values of selling) {
      const { input } = sell(values);
      expect(input).toBeDefined();
      const parsed = ticketBodySchema.parse(input);
      expect({ ...parsed, eventDate: parsed.eventDate.getTime() }).toEqual({
        ...input,
        eventDate: Date.parse(input?.eventDate ?? ''),
      });
    }
    const editing: [TicketFormValues, TicketFormValues][] = [
      [filled, filled],
      [{ ...filled, imageUrl: '' }, filled],
      [{ ...filled, description: '', price: '0.50', venue: 'Tempodrom' }, filled],
      [{ ...filled, eventDate: inDays(2) }, filled],
    ];
    for (const [values, original] of editing) {
      const { input } = edit(values, original);
      expect(input).toBeDefined();
      expect(ticketUpdateSchema.safeParse(input).success).toBe(true);
    }
  });
});

describe('ticketFormValues', () => {
  const ticket: Ticket = {
    id: 't1',
    title: 'Concert',
    price: 19.9,
    sellerId: 'u1',
    sellerName: 'sam',
    description: 'Row 5',
    imageUrl: null,
    eventDate: '2027-06-05T18:00:00.000Z',
    venue: 'Olympiastadion',
    city: 'Berlin',
    category: 'sports',
    status: 'available',
    orderId: null,
    version: 1,
    createdAt: null,
  };

  it("fills the edit form, the date on the seller's clock", () => {
    expect(ticketFormValues(ticket, plusTwo)).toEqual({
      title: 'Concert',
      eventDate: '2027-06-05T20:00',
      venue: 'Olympiastadion',
      city: 'Berlin',
      category: 'sports',
      price: '19.90',
      description: 'Row 5',
      imageUrl: '',
    });
  });

  it('leaves the event fields empty for a ticket without them, and everything for a new one', () => {
    const legacy = ticketFormValues({ ...ticket, eventDate: null, venue: null, city: null, category: null }, plusTwo);
    expect([legacy.eventDate, legacy.venue, legacy.city, legacy.category]).toEqual(['', '', '', '']);
    expect(Object.values(ticketFormValues())).toEqual(['', '', '', '', '', '', '', '']);
  });
});
