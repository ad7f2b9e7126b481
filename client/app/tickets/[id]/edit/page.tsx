import type { Metadata } from 'next';
import { EditTicketView } from '@/components/edit-ticket-view';
import { fetchTicket, keys } from '@/lib/api';
import { loadOrNotFound, notFoundUnlessId, requireUser } from '@/lib/server-api';

export const metadata: Metadata = { title: 'Edit ticket' };

export default async function EditTicketPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  notFoundUnlessId(id);
  const path = `/tickets/${encodeURIComponent(id)}/edit`;
  const user = await requireUser(path);
  const ticket = await loadOrNotFound((t) => fetchTicket(keys.ticket(id), t), path);
  return <EditTicketView ticket={ticket} currentUserId={user.id} />;
}
