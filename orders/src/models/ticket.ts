import { ticketStatuses, type TicketStatus } from '@gittix/common/contracts';
import { baseSchemaOptions } from '@gittix/common/db';
import { Schema, type Connection, type Model, type Types } from 'mongoose';

/**
 * The orders service's copy of a ticket, fed by ticket:created/updated/deleted
 * and applied strictly in version order. Which order holds the ticket is NOT
 * decided here but by the orders' unique `reservationKey`; `status` and
 * `orderId` are what the tickets service last reported, kept for diagnosis.
 */
export interface TicketAttrs {
  _id: Types.ObjectId;
  title: string;
  price: number;
  /** The price in integer cents, as the event carried it (older replicas: derived from `price`). */
  priceCents?: number;
  userId: Types.ObjectId;
  /** When the event starts (absent for tickets listed before tickets had dates): no order after it, none held past it. */
  eventDate?: Date;
  version: number;
  status: TicketStatus;
  orderId?: Types.ObjectId;
  deleted: boolean;
}

export type TicketModel = Model<TicketAttrs>;

const ticketSchema = new Schema<TicketAttrs>(
  {
    title: { type: String, required: true },
    price: { type: Number, required: true },
    priceCents: { type: Number },
    userId: { type: Schema.Types.ObjectId, required: true },
    eventDate: { type: Date },
    version: { type: Number, required: true },
    status: { type: String, enum: ticketStatuses, required: true, default: 'available' },
    orderId: { type: Schema.Types.ObjectId },
    deleted: { type: Boolean, required: true, default: false },
  },
  baseSchemaOptions,
);

export function createTicketModel(connection: Connection): TicketModel {
  return connection.model<TicketAttrs>('Ticket', ticketSchema);
}
