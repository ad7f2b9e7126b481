import type { Metadata } from 'next';
import { OrdersView } from '@/components/orders-view';
import { fetchOrders, keys } from '@/lib/api';
import { requireUser, loadOptional } from '@/lib/server-api';

export const metadata: Metadata = { title: 'My orders' };

export default async function OrdersPage() {
  await requireUser('/orders');
  const initialOrders = await loadOptional('orders', (t) => fetchOrders(keys.orders, t));
  return <OrdersView initialOrders={initialOrders} serverNow={Date.now()} />;
}
