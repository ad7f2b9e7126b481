import { z } from 'zod';

/** A MongoDB ObjectId as its 24-character hex string. */
export const objectId = z.string().regex(/^[0-9a-f]{24}$/i, 'must be a 24-character hex id');
/** Document version: starts at 0, bumped by exactly one per change. */
export const version = z.number().int().min(0);
/** Money in currency units. */
export const price = z.number().positive();
/** An ISO-8601 timestamp. */
export const isoDate = z.iso.datetime({ offset: true });

export const ticketStatuses = ['available', 'reserved', 'sold'] as const;
export type TicketStatus = (typeof ticketStatuses)[number];

export const orderStatuses = ['created', 'awaiting:payment', 'complete', 'cancelled'] as const;
export type OrderStatus = (typeof orderStatuses)[number];
