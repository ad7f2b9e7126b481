import { z } from 'zod';

/**
 * Money rules, in one place. Prices enter as currency units with at most two
 * decimals (the API's `price`, 19.99) and are turned into integer cents once,
 * here; from then on every rule, event and charge works in cents, so no
 * floating-point arithmetic stands between a seller's price and what Stripe
 * charges. The range is what Stripe charges in USD: 50 cents to $999,999.99.
 */
export const minPriceCents = 50;
export const maxPriceCents = 99_999_999;

/**
 * True for a number with at most two decimals. Checked on cents: 19.99 is not
 * exact in binary, so `19.99 * 100` misses 1999 by a few units of the last
 * place, and only that much (relative to the size of the number) is forgiven;
 * 1e-9 is a billionth, not zero cents.
 */
export function hasAtMostTwoDecimals(value: number): boolean {
  const cents = value * 100;
  if (!Number.isFinite(cents)) return false;
  return Math.abs(cents - Math.round(cents)) <= 8 * Number.EPSILON * Math.max(1, Math.abs(cents));
}

/**
 * Cents of a price in units. Exact for any value with at most two decimals
 * (the only ones {@link priceInput} admits); throws for anything else, so a
 * rounding can never happen silently.
 */
export function toCents(units: number): number {
  if (!hasAtMostTwoDecimals(units)) throw new RangeError(`${units} is not an amount with at most 2 decimals`);
  return Math.round(units * 100);
}

/** Units of an amount in cents (for display and the API's `price`). */
export function fromCents(cents: number): number {
  return cents / 100;
}

/** True for a whole number of cents Stripe accepts as a USD charge. */
export function isChargeableCents(cents: number): boolean {
  return Number.isInteger(cents) && cents >= minPriceCents && cents <= maxPriceCents;
}

/** The `price` field of a request: a number of units, at most 2 decimals, $0.50 to $999,999.99. */
export const priceInput = z
  .number({ error: (issue) => (issue.input === undefined ? 'Price is required' : 'Price must be a number') })
  .refine(hasAtMostTwoDecimals, 'Price must have at most 2 decimals')
  .refine((v) => v >= minPriceCents / 100, 'Price must be at least 0.50')
  .refine((v) => v <= maxPriceCents / 100, 'Price must be at most 999,999.99');
