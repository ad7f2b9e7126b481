import { ticketCategories, ticketStatuses, type TicketCategory, type TicketStatus } from '@gittix/common/contracts';
import { baseSchemaOptions, outboxFields, type PendingEvent } from '@gittix/common/db';
import { Schema, Types, type Connection, type HydratedDocument, type Model } from 'mongoose';

export interface TicketAttrs {
  _id: Types.ObjectId;
  title: string;
  price: number;
  userId: Types.ObjectId;
  username: string;
  description: string;
  imageUrl: string | null;
  /**
   * The event: when it starts, where, and what kind. Absent on tickets listed
   * before tickets had them (docs/decisions/0046-event-details-without-backfill.md):
   * those stay valid, are never "started", and list after the dated ones.
   */
  eventDate?: Date;
  venue?: string;
  city?: string;
  /** `city` normalised (cityKey): what the city filter and the filter counts match on. */
  cityKey?: string;
  category?: TicketCategory;
  status: TicketStatus;
  /** The order holding the ticket while it is `reserved` or `sold`. */
  orderId?: Types.ObjectId;
  /** Bumped by exactly one on every change; the orders replica applies changes in this order. */
  version: number;
  /**
   * Tombstone: a deleted ticket stays stored (so its pending `ticket:deleted`
   * event cannot be lost with it, and late events about it are recognised) but
   * is gone from every read. See docs/decisions/0011-ticket-deletion-tombstone.md.
   */
  deleted: boolean;
  deletedAt: Date | null;
  /**
   * The latest orders that must never hold this ticket again: cancelled ones,
   * and ones refused because the ticket was gone (at most `closedOrdersKept`).
   * Events of different subjects may arrive in any order, so an
   * `order:cancelled` can overtake its own `order:created`; this list makes the
   * late `order:created` a no-op.
   */
  closedOrderIds: Types.ObjectId[];
  pendingEvents: PendingEvent[];
  outboxPending: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export type TicketDoc = HydratedDocument<TicketAttrs>;
export type TicketModel = Model<TicketAttrs>;

/** The ticket as the API returns it: `id`, never `_id`; no internal fields; `orderId` for its seller only. */
export interface TicketJson {
  id: string;
  title: string;
  price: number;
  userId: string;
  username: string;
  description: string;
  imageUrl: string | null;
  /** ISO date-time; null on a ticket listed before tickets had event details (as are venue, city and category). */
  eventDate: Date | null;
  venue: string | null;
  city: string | null;
  category: TicketCategory | null;
  status: TicketStatus;
  orderId?: string;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * The ticket as `viewerId` may see it: which order holds it is the seller's
 * business (a buyer sees only that it is reserved or sold).
 */
export function ticketToJson(ticket: TicketAttrs, viewerId?: string): TicketJson {
  const isSeller = viewerId !== undefined && ticket.userId.toHexString() === viewerId.toLowerCase();
  return {
    id: ticket._id.toHexString(),
    title: ticket.title,
    price: ticket.price,
    userId: ticket.userId.toHexString(),
    username: ticket.username,
    description: ticket.description,
    imageUrl: ticket.imageUrl,
    eventDate: ticket.eventDate ?? null,
    venue: ticket.venue ?? null,
    city: ticket.city ?? null,
    category: ticket.category ?? null,
    status: ticket.status,
    ...(ticket.orderId && isSeller ? { orderId: ticket.orderId.toHexString() } : {}),
    version: ticket.version,
    createdAt: ticket.createdAt,
    updatedAt: ticket.updatedAt,
  };
}

const ticketSchema = new Schema<TicketAttrs>(
  {
    title: { type: String, required: true },
    price: { type: Number, required: true },
    userId: { type: Schema.Types.ObjectId, required: true },
    username: { type: String, required: true },
    description: { type: String, default: '' },
    imageUrl: { type: String, default: null },
    // No defaults: a ticket listed before these existed keeps them absent.
    eventDate: { type: Date },
    venue: { type: String },
    city: { type: String },
    cityKey: { type: String },
    category: { type: String, enum: ticketCategories },
    status: { type: String, enum: ticketStatuses, required: true, default: 'available' },
    orderId: { type: Schema.Types.ObjectId },
    version: { type: Number, required: true, default: 0 },
    deleted: { type: Boolean, required: true, default: false },
    deletedAt: { type: Date, default: null },
    closedOrderIds: { type: [Schema.Types.ObjectId], default: [] },
    ...outboxFields,
  },
  {
    ...baseSchemaOptions,
    // Without a viewer: the public view.
    toJSON: { transform: (doc: TicketDoc) => ticketToJson(doc) },
  },
);

// Keyset pagination (docs/decisions/0012-ticket-list-cursor.md): equality fields
// first, then the sort key and `_id` in the listing's order, then the event-date
// range, so a page of each sort is one bounded index range however deep it is;
// no skip anywhere. One index per public sort (list-tickets.ts's `sorts`):
ticketSchema.index({ status: 1, deleted: 1, _id: -1 }, { name: 'listing' }); // newest
ticketSchema.index({ status: 1, deleted: 1, eventDate: 1, _id: 1 }, { name: 'listing_soonest' });
ticketSchema.index({ status: 1, deleted: 1, price: 1, _id: 1, eventDate: 1 }, { name: 'listing_price' }); // both ways
// The city filter and the filter counts.
ticketSchema.index({ status: 1, deleted: 1, cityKey: 1, eventDate: 1 }, { name: 'listing_city' });
ticketSchema.index({ userId: 1, deleted: 1, _id: -1 }, { name: 'by_seller' });
// payment:created names the order, not the ticket.
ticketSchema.index({ orderId: 1 }, { name: 'by_order' });
ticketSchema.index({ closedOrderIds: 1 }, { name: 'by_closed_order' });

export function createTicketModel(connection: Connection): TicketModel {
  return connection.model<TicketAttrs>('Ticket', ticketSchema);
}
