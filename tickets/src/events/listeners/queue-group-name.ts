/** Durable name and queue group of every tickets subscription: instances share the work and resume where they left. */
export const queueGroupName = 'tickets-service';
