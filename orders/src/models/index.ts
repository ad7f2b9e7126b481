import type { Connection } from 'mongoose';
import { createOrderModel, releasedKey, type OrderModel } from './order';
import { createTicketModel, type TicketModel } from './ticket';

export interface Models {
  Order: OrderModel;
  Ticket: TicketModel;
}

/**
 * Binds the models to a connection and makes sure their indexes exist (the
 * reservation and the open-order bound ARE unique indexes). Orders stored
 * before open-order slots existed get a released slot first, so the unique
 * index can be built over them; they count as closed.
 */
export async function createModels(connection: Connection): Promise<Models> {
  const Order = createOrderModel(connection);
  const Ticket = createTicketModel(connection);
  const unslotted = await Order.find({ buyerSlot: { $exists: false } }, { _id: 1 }).lean();
  for (const { _id } of unslotted)
    await Order.updateOne({ _id, buyerSlot: { $exists: false } }, { $set: { buyerSlot: releasedKey(_id) } });
  await Promise.all([Order.createIndexes(), Ticket.createIndexes()]);
  return { Order, Ticket };
}
