import type { Connection } from 'mongoose';
import { createChargeAttemptModel, type ChargeAttemptModel } from './charge-attempt';
import { createOrderModel, type OrderModel } from './order';
import { createPaymentModel, type PaymentModel } from './payment';

export interface Models {
  Order: OrderModel;
  ChargeAttempt: ChargeAttemptModel;
  Payment: PaymentModel;
}

/** Binds the models to a connection and makes sure their indexes exist (the unique orderId of payments is a rule, not an optimisation). */
export async function createModels(connection: Connection): Promise<Models> {
  const models = {
    Order: createOrderModel(connection),
    ChargeAttempt: createChargeAttemptModel(connection),
    Payment: createPaymentModel(connection),
  };
  await Promise.all(Object.values(models).map((model) => model.createIndexes()));
  return models;
}
