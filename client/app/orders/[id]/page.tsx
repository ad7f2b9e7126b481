import type { Metadata } from 'next';
import { OrderView } from '@/components/order-view';
import { fetchOrder, keys, listPayments } from '@/lib/api';
import { loadOptional, loadOrNotFound, notFoundUnlessId, requireUser } from '@/lib/server-api';

export const metadata: Metadata = { title: 'Your order' };

export default async function OrderPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  notFoundUnlessId(id);
  const path = `/orders/${encodeURIComponent(id)}`;
  await requireUser(path);
  const order = await loadOrNotFound((t) => fetchOrder(keys.order(id), t), path);
  // Only a cancelled order can have a refund to show; the page renders without it if need be.
  const payments =
    order.status === 'cancelled' ? await loadOptional('payments', (t) => listPayments(order.id, t)) : null;
  return <OrderView initialOrder={order} initialPayments={payments} serverNow={Date.now()} />;
}
