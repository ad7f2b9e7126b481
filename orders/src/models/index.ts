import type { Connection } from 'mongoose';
import { createOrderModel, type OrderModel } from './order';
import { createTicketModel, type TicketModel } from './ticket';

export interface Models {
  Order: OrderModel;
  Ticket: TicketModel;
}

/** Binds the models to a connection and makes sure their indexes exist (the reservation IS a unique index). */
export async function createModels(connection: Connection): Promise<Models> {
  const Order = createOrderModel(connection);
  const Ticket = createTicketModel(connection);
  await Promise.all([Order.createIndexes(), Ticket.createIndexes()]);
  return { Order, Ticket };
}
