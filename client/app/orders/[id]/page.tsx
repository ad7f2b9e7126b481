import type { Metadata } from 'next';
import { OrderView } from '@/components/order-view';
import { fetchOrder, keys } from '@/lib/api';
import { loadOrNotFound, requireUser } from '@/lib/server-api';

export const metadata: Metadata = { title: 'Your order' };

export default async function OrderPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const path = `/orders/${encodeURIComponent(id)}`;
  await requireUser(path);
  const order = await loadOrNotFound((t) => fetchOrder(keys.order(id), t), path);
  return <OrderView initialOrder={order} serverNow={Date.now()} />;
}
