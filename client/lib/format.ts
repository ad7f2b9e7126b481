const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });

/** `19.9` → `$19.90`. */
export function formatPrice(price: number): string {
  return money.format(price);
}

/**
 * An amount in the currency's smallest unit, as Stripe and the payments service
 * send it: `(2500, 'usd')` → `$25.00`, `(500, 'jpy')` → `¥500` (no minor unit).
 * A malformed currency code is shown as `25.00 US` rather than failing the page.
 */
export function formatMoney(minorUnits: number, currency: string): string {
  const code = currency.toUpperCase();
  let format: Intl.NumberFormat;
  try {
    format = new Intl.NumberFormat('en-US', { style: 'currency', currency: code });
  } catch {
    return `${(minorUnits / 100).toFixed(2)} ${code}`;
  }
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(minorUnits / 10 ** digits);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');

/**
 * `Nov 24, 2025, 05:07 UTC`. Built by hand in UTC: Node's and the browser's ICU
 * disagree on details (such as the space before AM/PM), and any difference
 * between the server render and hydration is an error.
 */
export function formatDate(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}, ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC`;
}

/** Whole seconds left as `mm:ss` (`h:mm:ss` past an hour); never negative. */
export function formatCountdown(msLeft: number): string {
  const total = Math.max(0, Math.ceil(msLeft / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const mmss = `${String(minutes).padStart(2, '0')}:${String(seconds).padStart(2, '0')}`;
  return hours > 0 ? `${hours}:${mmss}` : mmss;
}

/** `1 ticket`, `12 tickets`, `1,000+ tickets` (grouped by hand: the same on the server and in the browser). */
export function formatTicketCount(total: { count: number; atLeast: boolean }): string {
  const digits = String(total.count).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const noun = total.count === 1 && !total.atLeast ? 'ticket' : 'tickets';
  return `${digits}${total.atLeast ? '+' : ''} ${noun}`;
}

/**
 * An event's date and time in the reader's own language and time zone
 * (`Sat, Jun 5, 2027, 8:00 PM` for en-US in Berlin). Only for the browser,
 * after hydration: the server knows neither (see components/event-date.tsx).
 */
export function formatEventDate(iso: string, locale?: string, timeZone?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return new Intl.DateTimeFormat(locale, {
    weekday: 'short',
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZone,
  }).format(date);
}
