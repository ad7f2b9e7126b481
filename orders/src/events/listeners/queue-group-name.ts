/** Durable name and queue group of every orders subscription: instances share the work and resume where they left. */
export const queueGroupName = 'orders-service';
