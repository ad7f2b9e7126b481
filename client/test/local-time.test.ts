import { ticketSearchSchema } from '@gittix/common/contracts';
import {
  boundDay,
  datetimeLocalToIso,
  dayBound,
  isoToDatetimeLocal,
  toOffsetIso,
  type OffsetOf,
} from '../lib/local-time';

/** A zone at a fixed offset, in `getTimezoneOffset` minutes (positive west of UTC). */
const fixed =
  (minutes: number): OffsetOf =>
  () =>
    minutes;

/**
 * Central European time with its daylight saving (the EU rule: from 01:00 UTC
 * on the last Sunday of March to 01:00 UTC on the last Sunday of October),
 * whatever zone the test runs in.
 */
const berlin: OffsetOf = (date) => {
  const year = date.getUTCFullYear();
  const lastSunday = (month: number) => {
    const last = new Date(Date.UTC(year, month + 1, 0, 1));
    return last.getTime() - last.getUTCDay() * 86_400_000;
  };
  const t = date.getTime();
  return t >= lastSunday(2) && t < lastSunday(9) ? -120 : -60;
};

const newYork = fixed(240); // UTC-4 (summer)
const kolkata = fixed(-330); // UTC+5:30

describe('toOffsetIso', () => {
  const instant = new Date('2027-06-05T18:00:00.000Z');

  it("writes an instant on the reader's clock, with the offset", () => {
    expect(toOffsetIso(instant, berlin)).toBe('2027-06-05T20:00:00.000+02:00');
    expect(toOffsetIso(instant, newYork)).toBe('2027-06-05T14:00:00.000-04:00');
    expect(toOffsetIso(instant, kolkata)).toBe('2027-06-05T23:30:00.000+05:30');
    expect(toOffsetIso(instant, fixed(0))).toBe('2027-06-05T18:00:00.000+00:00');
  });

  it('names the same instant', () => {
    for (const offsetOf of [berlin, newYork, kolkata, fixed(0), fixed(720), fixed(-840)])
      expect(Date.parse(toOffsetIso(instant, offsetOf))).toBe(instant.getTime());
  });
});

describe('datetimeLocalToIso', () => {
  it("reads a datetime-local value as the seller's own clock", () => {
    expect(datetimeLocalToIso('2027-06-05T20:00', berlin)).toBe('2027-06-05T20:00:00.000+02:00');
    expect(datetimeLocalToIso('2027-01-15T20:00', berlin)).toBe('2027-01-15T20:00:00.000+01:00');
    expect(datetimeLocalToIso('2027-06-05T20:00', newYork)).toBe('2027-06-05T20:00:00.000-04:00');
    expect(datetimeLocalToIso('2027-06-05T20:00:30', kolkata)).toBe('2027-06-05T20:00:30.000+05:30');
    expect(datetimeLocalToIso('2027-06-05T20:00:30.5', fixed(0))).toBe('2027-06-05T20:00:30.500+00:00');
  });

  it('keeps the wall-clock time on either side of a daylight-saving change', () => {
    // Berlin, 28 March 2027: 02:00 becomes 03:00.
    expect(datetimeLocalToIso('2027-03-28T01:30', berlin)).toBe('2027-03-28T01:30:00.000+01:00');
    expect(datetimeLocalToIso('2027-03-28T03:30', berlin)).toBe('2027-03-28T03:30:00.000+02:00');
    // 02:30 does not exist that night: it moves on by the gap, as the browser does.
    expect(datetimeLocalToIso('2027-03-28T02:30', berlin)).toBe('2027-03-28T03:30:00.000+02:00');
  });

  it("is '' for an empty input and null for no real time", () => {
    expect(datetimeLocalToIso('', berlin)).toBe('');
    expect(datetimeLocalToIso('  ', berlin)).toBe('');
    for (const value of [
      'tomorrow',
      '2027-06-05',
      '2027-06-31T20:00',
      '2027-13-01T20:00',
      '2027-06-05T24:00',
      '2027-02-29T10:00',
    ])
      expect([value, datetimeLocalToIso(value, berlin)]).toEqual([value, null]);
    expect(datetimeLocalToIso('2028-02-29T10:00', berlin)).toBe('2028-02-29T10:00:00.000+01:00');
  });

  it('gives what the API takes as an event date', () => {
    // The API's own check of `eventDate` (ticketSearchSchema's from/to use the same ISO form).
    const iso = datetimeLocalToIso('2027-06-05T20:00', kolkata);
    expect(ticketSearchSchema.parse({ from: iso }).from).toEqual(new Date('2027-06-05T14:30:00.000Z'));
  });
});

describe('isoToDatetimeLocal', () => {
  it("writes an event's instant for a datetime-local input on the seller's clock", () => {
    expect(isoToDatetimeLocal('2027-06-05T18:00:00.000Z', berlin)).toBe('2027-06-05T20:00');
    expect(isoToDatetimeLocal('2027-06-05T18:00:00.000Z', newYork)).toBe('2027-06-05T14:00');
    expect(isoToDatetimeLocal('2027-01-15T19:00:00.000Z', berlin)).toBe('2027-01-15T20:00');
  });

  it('round-trips with datetimeLocalToIso', () => {
    for (const value of ['2027-06-05T20:00', '2027-12-31T23:59', '2028-01-01T00:00']) {
      const iso = datetimeLocalToIso(value, berlin);
      expect(iso && isoToDatetimeLocal(iso, berlin)).toBe(value);
    }
  });

  it("is '' for no date or one it cannot read", () => {
    expect(isoToDatetimeLocal(null, berlin)).toBe('');
    expect(isoToDatetimeLocal('soon', berlin)).toBe('');
  });
});

describe('dayBound', () => {
  it("gives the first and last millisecond of the buyer's day, with the buyer's offset", () => {
    expect(dayBound('2027-06-05', 'start', berlin)).toBe('2027-06-05T00:00:00.000+02:00');
    expect(dayBound('2027-06-05', 'end', berlin)).toBe('2027-06-05T23:59:59.999+02:00');
    expect(dayBound('2027-06-05', 'start', newYork)).toBe('2027-06-05T00:00:00.000-04:00');
    expect(dayBound('2027-06-05', 'end', kolkata)).toBe('2027-06-05T23:59:59.999+05:30');
  });

  it('takes the offset of each end of a day with a daylight-saving change', () => {
    expect(dayBound('2027-03-28', 'start', berlin)).toBe('2027-03-28T00:00:00.000+01:00');
    expect(dayBound('2027-03-28', 'end', berlin)).toBe('2027-03-28T23:59:59.999+02:00');
  });

  it('starts with the day itself, which is what the server renders the date inputs from', () => {
    for (const offsetOf of [berlin, newYork, kolkata, fixed(720), fixed(-840)]) {
      for (const edge of ['start', 'end'] as const) {
        const bound = dayBound('2027-06-05', edge, offsetOf);
        expect(bound?.slice(0, 10)).toBe('2027-06-05');
        expect(boundDay(bound ?? '')).toBe('2027-06-05');
      }
    }
  });

  it('makes a range the API reads as that day, inclusive', () => {
    const range = ticketSearchSchema.parse({
      from: dayBound('2027-06-05', 'start', berlin),
      to: dayBound('2027-06-05', 'end', berlin),
    });
    expect(range.from).toEqual(new Date('2027-06-04T22:00:00.000Z'));
    expect(range.to).toEqual(new Date('2027-06-05T21:59:59.999Z'));
  });

  it('is null for what is no date', () => {
    for (const day of ['', '2027-6-5', '2027-06-31', '05/06/2027', '2027-06-05T00:00'])
      expect(dayBound(day, 'start')).toBeNull();
  });
});

describe('boundDay', () => {
  it('reads the day of a from/to value: a plain date or a date-time', () => {
    expect(boundDay('2027-06-05')).toBe('2027-06-05');
    expect(boundDay('2027-06-05T23:59:59.999-04:00')).toBe('2027-06-05');
  });

  it("is '' for a value that starts with no real date", () => {
    for (const value of ['', 'soon', '2027-06-31', '2027-13-01T00:00:00Z', '20270605'])
      expect(boundDay(value)).toBe('');
  });
});
