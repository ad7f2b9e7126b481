import type { Metadata } from 'next';
import { OrdersView } from '@/components/orders-view';
import { fetchOrderPage, keys } from '@/lib/api';
import { requireUser, loadOptional } from '@/lib/server-api';

export const metadata: Metadata = { title: 'My orders' };

export default async function OrdersPage() {
  await requireUser('/orders');
  const initialPage = await loadOptional('orders', (t) => fetchOrderPage(keys.orders, t));
  return <OrdersView initialPage={initialPage} serverNow={Date.now()} />;
}
