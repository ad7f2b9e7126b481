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

const PRICE_PATTERN = /^\d{1,7}(\.\d{1,2})?$/;

/** Validates a price typed by a seller; mirrors the tickets service's rules (> 0, ≤ 1,000,000, ≤ 2 decimals). */
export function parsePriceInput(value: string): { price: number } | { error: string } {
  const trimmed = value.trim().replace(/^\$/, '');
  if (trimmed === '') return { error: 'Enter a price' };
  if (!PRICE_PATTERN.test(trimmed)) return { error: 'Enter a price like 25 or 19.99' };
  const price = Number(trimmed);
  if (!(price > 0)) return { error: 'The price must be more than 0' };
  if (price > 1_000_000) return { error: 'The price can be at most 1,000,000' };
  return { price };
}
