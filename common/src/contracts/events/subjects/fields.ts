import { z } from 'zod';
import { maxPriceCents } from '../../money';

export { objectId } from '../../ids';

/** Document version: starts at 0, bumped by exactly one per change. */
export const version = z.number().int().min(0);
/** Money in currency units (19.99), as the API shows it. */
export const price = z.number().positive();
/**
 * Money in integer cents (1999), what every rule and Stripe work with. It is
 * computed once, exactly, where a price enters the system (see money.ts).
 * Optional on the wire only so events published before it existed stay valid;
 * readers fall back to `toCents(price)`. The minimum is 1 cent, not the 50
 * a new price must have: tickets priced before that rule still travel, and
 * payments refuses to charge them (`isChargeableCents`).
 */
export const priceCents = z.number().int().min(1).max(maxPriceCents).optional();
/** An ISO-8601 timestamp. */
export const isoDate = z.iso.datetime({ offset: true });
/**
 * When the ticket's event starts: orders refuses a ticket whose event has
 * started and never holds one past that moment. `null` for a ticket listed
 * before tickets had dates; optional on the wire for events published then.
 */
export const eventDate = isoDate.nullable().optional();
