import type { Metadata } from 'next';
import { cache } from 'react';
import { TicketView } from '@/components/ticket-view';
import { fetchTicket, keys } from '@/lib/api';
import { getCurrentUser, loadOrNotFound, notFoundUnlessId } from '@/lib/server-api';

type Props = { params: Promise<{ id: string }> };

// Metadata and page share one request to the tickets service.
const loadTicket = cache((id: string) => {
  notFoundUnlessId(id);
  return loadOrNotFound((t) => fetchTicket(keys.ticket(id), t), `/tickets/${encodeURIComponent(id)}`);
});

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: (await loadTicket((await params).id)).title };
}

export default async function TicketPage({ params }: Props) {
  const { id } = await params;
  const [ticket, user] = await Promise.all([loadTicket(id), getCurrentUser()]);
  return <TicketView initialTicket={ticket} currentUserId={user?.id ?? null} serverNow={Date.now()} />;
}
