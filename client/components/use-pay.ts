import { useState } from 'react';
import { ApiError, createPayment, type Order } from '@/lib/api';

export interface PaymentFormProps {
  order: Order;
  disabled: boolean;
  /** Called once the payments service accepted the charge (201). */
  onPaid: () => void;
}

/** Sends a Stripe token for the order; a decline (400) shows Stripe's own message. */
export function usePay({ order, onPaid }: Pick<PaymentFormProps, 'order' | 'onPaid'>) {
  const [paying, setPaying] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function pay(token: string) {
    setPaying(true);
    setError(null);
    try {
      await createPayment(order.id, token);
      onPaid();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'The payment could not be completed. Please try again.');
    } finally {
      setPaying(false);
    }
  }

  return { paying, error, setError, pay };
}
