import {
  formatCountdown,
  formatDate,
  formatEventDate,
  formatMoney,
  formatPrice,
  formatTicketCount,
} from '../lib/format';

describe('formatPrice', () => {
  it('shows dollars with cents', () => {
    expect(formatPrice(19.9)).toBe('$19.90');
    expect(formatPrice(25)).toBe('$25.00');
    expect(formatPrice(1_000_000)).toBe('$1,000,000.00');
  });

  it('shows the ends of the price range the API accepts', () => {
    expect(formatPrice(0.5)).toBe('$0.50');
    expect(formatPrice(999_999.99)).toBe('$999,999.99');
  });
});

describe('formatMoney', () => {
  it('reads amounts in the smallest currency unit, as Stripe sends them', () => {
    expect(formatMoney(2500, 'usd')).toBe('$25.00');
    expect(formatMoney(1999, 'USD')).toBe('$19.99');
    expect(formatMoney(5, 'usd')).toBe('$0.05');
    expect(formatMoney(1250, 'eur')).toBe('€12.50');
  });

  it('knows currencies without a minor unit', () => {
    expect(formatMoney(500, 'jpy')).toBe('¥500');
  });

  it('does not fail on a malformed currency code', () => {
    expect(formatMoney(2500, 'us')).toBe('25.00 US');
  });
});

describe('formatDate', () => {
  it('writes UTC by hand, the same in Node and in the browser', () => {
    expect(formatDate('2025-11-24T05:07:59.000Z')).toBe('Nov 24, 2025, 05:07 UTC');
    expect(formatDate('2024-02-29T23:00:00+02:00')).toBe('Feb 29, 2024, 21:00 UTC');
  });

  it('counts months from January and pads hours and minutes', () => {
    expect(formatDate('2026-01-01T00:00:00.000Z')).toBe('Jan 1, 2026, 00:00 UTC');
    expect(formatDate('2025-12-31T23:59:59.999Z')).toBe('Dec 31, 2025, 23:59 UTC');
    // A date with an offset that crosses midnight and the year in UTC.
    expect(formatDate('2026-01-01T01:30:00+03:00')).toBe('Dec 31, 2025, 22:30 UTC');
  });

  it('is empty for no date or a bad one', () => {
    expect(formatDate(null)).toBe('');
    expect(formatDate('')).toBe('');
    expect(formatDate('not a date')).toBe('');
  });
});

describe('formatCountdown', () => {
  it('shows whole seconds left, rounded up', () => {
    expect(formatCountdown(900_000)).toBe('15:00');
    expect(formatCountdown(59_001)).toBe('01:00');
    expect(formatCountdown(1)).toBe('00:01');
  });

  it('adds hours past an hour', () => {
    expect(formatCountdown(3_600_000 + 61_000)).toBe('1:01:01');
    expect(formatCountdown(3_600_000)).toBe('1:00:00');
    expect(formatCountdown(3_599_001)).toBe('1:00:00');
    expect(formatCountdown(3_599_000)).toBe('59:59');
  });

  it('never goes below zero', () => {
    expect(formatCountdown(0)).toBe('00:00');
    expect(formatCountdown(-5_000)).toBe('00:00');
  });
});

describe('formatTicketCount', () => {
  it.each([
    [{ count: 0, atLeast: false }, '0 tickets'],
    [{ count: 1, atLeast: false }, '1 ticket'],
    [{ count: 12, atLeast: false }, '12 tickets'],
    [{ count: 999, atLeast: false }, '999 tickets'],
    [{ count: 1000, atLeast: false }, '1,000 tickets'],
    [{ count: 1000, atLeast: true }, '1,000+ tickets'],
    [{ count: 1, atLeast: true }, '1+ tickets'],
    [{ count: 1234567, atLeast: false }, '1,234,567 tickets'],
  ])('counts %j as %j', (total, text) => {
    expect(formatTicketCount(total)).toBe(text);
  });
});

describe('formatEventDate', () => {
  const iso = '2027-06-05T18:00:00.000Z';

  it("writes the event's time in the reader's zone and language", () => {
    expect(formatEventDate(iso, 'en-US', 'Europe/Berlin')).toMatch(/^Sat, Jun 5, 2027, 8:00\sPM$/);
    expect(formatEventDate(iso, 'en-US', 'America/New_York')).toMatch(/^Sat, Jun 5, 2027, 2:00\sPM$/);
    // The same instant is already Sunday in Tokyo.
    expect(formatEventDate(iso, 'en-GB', 'Asia/Tokyo')).toMatch(/^Sun,? 6 Jun 2027,? 0?3:00$/);
    expect(formatEventDate(iso, 'de-DE', 'Europe/Berlin')).toMatch(/^Sa\.?, 5\. Juni? 2027(,| um) 20:00$/);
  });

  it('is empty for a date it cannot read', () => {
    expect(formatEventDate('soon', 'en-US', 'UTC')).toBe('');
  });
});
