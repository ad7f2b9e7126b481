/**
 * The buyer's own clock, as the API wants it: ISO date-times with the
 * buyer's UTC offset (`2027-06-05T20:00:00.000+02:00`), so "Saturday" and
 * "8 pm" are the buyer's Saturday and 8 pm, whatever time zone the server or
 * the seller is in.
 *
 * Every function takes the offset rule as `offsetOf` (minutes, as
 * `Date#getTimezoneOffset` counts them: positive west of UTC); the default is
 * the browser's own time zone. Never call them during a server render with
 * the default: the server's zone is not the buyer's.
 */

/** `Date#getTimezoneOffset` of the runtime's own time zone, at `date` (daylight saving included). */
export type OffsetOf = (date: Date) => number;
const localOffset: OffsetOf = (date) => date.getTimezoneOffset();

const pad = (n: number, width = 2) => String(Math.trunc(Math.abs(n))).padStart(width, '0');

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME_LOCAL_PATTERN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/;

interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  ms: number;
}

/** The instant a wall-clock time names in the zone `offsetOf` describes, or null if it is no real date. */
function instantOf(wall: WallTime, offsetOf: OffsetOf): Date | null {
  const { year, month, day, hour, minute, second, ms } = wall;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return null;
  const asUtc = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  const probe = new Date(asUtc);
  // Date.UTC rolls 31 June over into July: that is no date at all.
  if (probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) return null;
  // The offset at the instant itself; a second pass settles the hours around a daylight-saving change.
  let instant = asUtc + offsetOf(probe) * 60_000;
  instant = asUtc + offsetOf(new Date(instant)) * 60_000;
  return new Date(instant);
}

/** `date` as an ISO date-time in the zone `offsetOf` describes: `2027-06-05T20:00:00.000+02:00`. */
export function toOffsetIso(date: Date, offsetOf: OffsetOf = localOffset): string {
  const offset = offsetOf(date);
  const wall = new Date(date.getTime() - offset * 60_000);
  const sign = offset > 0 ? '-' : '+';
  return (
    `${pad(wall.getUTCFullYear(), 4)}-${pad(wall.getUTCMonth() + 1)}-${pad(wall.getUTCDate())}` +
    `T${pad(wall.getUTCHours())}:${pad(wall.getUTCMinutes())}:${pad(wall.getUTCSeconds())}.${pad(wall.getUTCMilliseconds(), 3)}` +
    `${sign}${pad(offset / 60)}:${pad(offset % 60)}`
  );
}

/**
 * What a `datetime-local` input holds (`2027-06-05T20:00`) as an ISO date-time
 * with the buyer's offset; '' for an empty input, null for one that names no
 * real time. (A time skipped by a daylight-saving change moves on by the gap,
 * as the browser itself does.)
 */
export function datetimeLocalToIso(value: string, offsetOf: OffsetOf = localOffset): string | null {
  if (value.trim() === '') return '';
  const m = DATETIME_LOCAL_PATTERN.exec(value.trim());
  if (!m) return null;
  const [, year, month, day, hour, minute, second = '0', ms = '0'] = m;
  const instant = instantOf(
    {
      year: Number(year),
      month: Number(month),
      day: Number(day),
      hour: Number(hour),
      minute: Number(minute),
      second: Number(second),
      ms: Number(ms.padEnd(3, '0')),
    },
    offsetOf,
  );
  return instant ? toOffsetIso(instant, offsetOf) : null;
}

/** An ISO instant as a `datetime-local` value in the buyer's zone (`2027-06-05T20:00`); '' for none. */
export function isoToDatetimeLocal(iso: string | null, offsetOf: OffsetOf = localOffset): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return toOffsetIso(date, offsetOf).slice(0, 16);
}

/**
 * The first (`start`) or last (`end`) millisecond of a day of the buyer's
 * calendar (`2027-06-05`, as a date input holds it) as the search's `from` /
 * `to`: `2027-06-05T00:00:00.000+02:00`, `2027-06-05T23:59:59.999+02:00`.
 * Its first 10 characters are the day again, which is how the server renders
 * the date inputs without knowing the buyer's zone. null for no real date.
 */
export function dayBound(day: string, edge: 'start' | 'end', offsetOf: OffsetOf = localOffset): string | null {
  const m = DATE_PATTERN.exec(day);
  if (!m) return null;
  const end = edge === 'end';
  const instant = instantOf(
    {
      year: Number(m[1]),
      month: Number(m[2]),
      day: Number(m[3]),
      hour: end ? 23 : 0,
      minute: end ? 59 : 0,
      second: end ? 59 : 0,
      ms: end ? 999 : 0,
    },
    offsetOf,
  );
  if (!instant) return null;
  const iso = toOffsetIso(instant, offsetOf);
  // A zone whose midnight a daylight-saving change skips starts its day at 01:00: still that day.
  return iso.slice(0, 10) === day ? iso : null;
}

/** The day (`2027-06-05`) a `from`/`to` value of the URL is about: its first 10 characters, when they are a date. */
export function boundDay(value: string): string {
  const day = value.slice(0, 10);
  if (!DATE_PATTERN.test(day)) return '';
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  const probe = new Date(Date.UTC(year, month - 1, date));
  return probe.getUTCMonth() === month - 1 && probe.getUTCDate() === date ? day : '';
}
