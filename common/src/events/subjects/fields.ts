import { z } from 'zod';

/** A MongoDB ObjectId as its 24-character hex string. */
export const objectId = z.string().regex(/^[0-9a-f]{24}$/i, 'must be a 24-character hex id');
/** Document version: starts at 0, bumped by exactly one per change. */
export const version = z.number().int().min(0);
/** Money in currency units (19.99), as the API shows it. */
export const price = z.number().positive();
/**
 * Money in integer cents (1999), what every rule and Stripe work with. It is
 * computed once, exactly, where a price enters the system (see money.ts).
 * Optional on the wire only so events published before it existed stay valid;
 * readers fall back to `toCents(price)`.
 */
export const priceCents = z.number().int().min(1).max(99_999_999).optional();
/** An ISO-8601 timestamp. */
export const isoDate = z.iso.datetime({ offset: true });

export const ticketStatuses = ['available', 'reserved', 'sold'] as const;
export type TicketStatus = (typeof ticketStatuses)[number];

export const orderStatuses = ['created', 'awaiting:payment', 'complete', 'cancelled'] as const;
export type OrderStatus = (typeof orderStatuses)[number];
