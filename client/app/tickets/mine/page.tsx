import type { Metadata } from 'next';
import { MyTicketsView } from '@/components/my-tickets-view';
import { fetchTicketPage, keys } from '@/lib/api';
import { requireUser, loadOptional } from '@/lib/server-api';

export const metadata: Metadata = { title: 'My tickets' };

export default async function MyTicketsPage() {
  const user = await requireUser('/tickets/mine');
  const initialPage = await loadOptional('seller tickets', (t) => fetchTicketPage(keys.sellerTickets(user.id), t));
  return <MyTicketsView userId={user.id} initialPage={initialPage} serverNow={Date.now()} />;
}
