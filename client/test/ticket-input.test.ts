import { ticketBodySchema, ticketFieldLimits } from '@gittix/common/contracts';
import { parsePriceInput, validateTicketForm, type TicketFormValues } from '../lib/ticket-input';

const filled: TicketFormValues = {
  title: 'Concert, Row 5',
  price: '25',
  description: 'Seat 12.',
  imageUrl: 'https://img.example/t.png',
};

describe('parsePriceInput', () => {
  it.each([
    ['25', 25],
    [' 19.99 ', 19.99],
    ['$7.5', 7.5],
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
    ['1.999', 'Enter a price like 25 or 19.99'],
    ['-3', 'Enter a price like 25 or 19.99'],
    ['1e3', 'Enter a price like 25 or 19.99'],
    ['1,000', 'Enter a price like 25 or 19.99'],
    ['.5', 'Enter a price like 25 or 19.99'],
    ['0', 'The price must be at least $0.50'],
    ['0.00', 'The price must be at least $0.50'],
    ['0.49', 'The price must be at least $0.50'],
    ['1000000', 'The price can be at most $999,999.99'],
    ['999999999.99', 'The price can be at most $999,999.99'],
  ])('rejects %j', (input, error) => {
    expect(parsePriceInput(input)).toEqual({ error });
  });

  it('accepts exactly what the API accepts at the edges of the range', () => {
    for (const input of ['0.49', '0.50', '0.51', '999999.98', '999999.99', '1000000.00']) {
      const parsed = parsePriceInput(input);
      const api = ticketBodySchema.safeParse({ title: 'T', price: Number(input) });
      expect([input, 'price' in parsed]).toEqual([input, api.success]);
    }
  });
});

describe('validateTicketForm', () => {
  it('trims the fields and sends the price as a number', () => {
    const result = validateTicketForm(
      { title: '  Concert  ', price: ' $19.9 ', description: '  Row 5\n', imageUrl: ' https://img.example/a.png ' },
      { editing: false },
    );
    expect(result).toEqual({
      errors: {},
      input: { title: 'Concert', price: 19.9, description: 'Row 5', imageUrl: 'https://img.example/a.png' },
    });
  });

  it('leaves the image out of a new ticket without one', () => {
    const result = validateTicketForm({ ...filled, imageUrl: '   ' }, { editing: false });
    expect(result.input).toEqual({ title: 'Concert, Row 5', price: 25, description: 'Seat 12.' });
    expect(result.input && 'imageUrl' in result.input).toBe(false);
  });

  it('removes the image (null) when the seller clears it while editing', () => {
    const result = validateTicketForm({ ...filled, imageUrl: '' }, { editing: true });
    expect(result.input).toEqual({ title: 'Concert, Row 5', price: 25, description: 'Seat 12.', imageUrl: null });
    // The body survives JSON with the removal in it (undefined would be dropped: "keep").
    expect(JSON.parse(JSON.stringify(result.input))).toHaveProperty('imageUrl', null);
  });

  it('keeps an image that is still there while editing', () => {
    expect(validateTicketForm(filled, { editing: true }).input?.imageUrl).toBe('https://img.example/t.png');
  });

  it('sends an emptied description as empty (the API clears it)', () => {
    expect(validateTicketForm({ ...filled, description: '  ' }, { editing: true }).input?.description).toBe('');
  });

  it('names every field that is wrong, and sends nothing', () => {
    const result = validateTicketForm(
      { title: ' ', price: 'free', description: 'x'.repeat(2001), imageUrl: 'ftp://img.example/a.png' },
      { editing: false },
    );
    expect(result).toEqual({
      errors: {
        title: 'Enter a title',
        price: 'Enter a price like 25 or 19.99',
        description: 'Use at most 2000 characters',
        imageUrl: 'Enter a web address starting with http:// or https://',
      },
    });
  });

  it('stops at the limits the API has', () => {
    expect(ticketFieldLimits).toEqual({ title: 120, description: 2000, imageUrl: 2048 });
    const atLimits = {
      title: 't'.repeat(120),
      price: '10',
      description: 'd'.repeat(2000),
      imageUrl: `https://img.example/${'i'.repeat(2048 - 'https://img.example/'.length)}`,
    };
    expect(validateTicketForm(atLimits, { editing: false }).errors).toEqual({});
    const over = validateTicketForm(
      {
        title: `${atLimits.title}t`,
        price: '10',
        description: `${atLimits.description}d`,
        imageUrl: `${atLimits.imageUrl}i`,
      },
      { editing: false },
    );
    expect(over).toEqual({
      errors: {
        title: 'Use at most 120 characters',
        description: 'Use at most 2000 characters',
        imageUrl: 'Use at most 2048 characters',
      },
    });
  });

  it.each(['not a url', 'javascript:alert(1)', 'data:image/png;base64,AAAA', '/relative/path.png'])(
    'refuses the image link %j',
    (imageUrl) => {
      expect(validateTicketForm({ ...filled, imageUrl }, { editing: true }).errors).toEqual({
        imageUrl: 'Enter a web address starting with http:// or https://',
      });
    },
  );

  it('only ever produces a body the API accepts', () => {
    const cases: [TicketFormValues, boolean][] = [
      [filled, false],
      [filled, true],
      [{ ...filled, imageUrl: '' }, false],
      [{ ...filled, imageUrl: '' }, true],
      [{ ...filled, description: '', price: '0.50' }, true],
      [{ ...filled, price: '999999.99' }, false],
      [{ ...filled, imageUrl: 'http://img.example/a.png' }, false],
    ];
    for (const [values, editing] of cases) {
      const { input } = validateTicketForm(values, { editing });
      expect(input).toBeDefined();
      expect(ticketBodySchema.parse(input)).toEqual(input);
    }
  });
});
