import type { Metadata } from 'next';
import { TicketForm } from '@/components/ticket-form';
import { Page } from '@/components/ui';
import { requireUser } from '@/lib/server-api';

export const metadata: Metadata = { title: 'Sell a ticket' };

export default async function NewTicketPage() {
  await requireUser('/tickets/new');
  return (
    <Page title="Sell a ticket">
      <TicketForm />
    </Page>
  );
}
