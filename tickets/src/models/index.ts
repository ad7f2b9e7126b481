import type { Connection } from 'mongoose';
import { createTicketModel, type TicketModel } from './ticket';

export interface Models {
  Ticket: TicketModel;
}

/** Binds the models to a connection and makes sure their indexes exist (the listing's pages depend on them). */
export async function createModels(connection: Connection): Promise<Models> {
  const Ticket = createTicketModel(connection);
  await Ticket.createIndexes();
  return { Ticket };
}
