/** Durable name and queue group of every payments listener (DESIGN §3). */
export const queueGroupName = 'payments-service';
