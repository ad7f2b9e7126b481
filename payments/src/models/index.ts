import type { Connection } from 'mongoose';
import { createChargeAttemptModel, type ChargeAttemptModel } from './charge-attempt';
import { createOrderModel, type OrderModel } from './order';
import { createPaymentModel, type PaymentModel } from './payment';

export interface Models {
  Order: OrderModel;
  ChargeAttempt: ChargeAttemptModel;
  Payment: PaymentModel;
}

/**
 * Binds the models to a connection and makes sure their indexes exist (the
 * unique orderId of payments is a rule, not an optimisation). Payments stored
 * before they named their buyer get the buyer from the order replica, so the
 * buyer can list them.
 */
export async function createModels(connection: Connection): Promise<Models> {
  const models = {
    Order: createOrderModel(connection),
    ChargeAttempt: createChargeAttemptModel(connection),
    Payment: createPaymentModel(connection),
  };
  const unattributed = await models.Payment.find({ userId: { $exists: false } }, { orderId: 1 }).lean();
  for (const { _id, orderId } of unattributed) {
    const order = await models.Order.findById(orderId, { userId: 1 }).lean();
    if (order) await models.Payment.updateOne({ _id }, { $set: { userId: order.userId, status: 'succeeded' } });
  }
  await Promise.all(Object.values(models).map((model) => model.createIndexes()));
  return models;
}
