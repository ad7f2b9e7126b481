'use client';

import { Button } from '@chakra-ui/react';
import NextLink from 'next/link';
import type { Ticket } from '@/lib/api';
import { TicketForm } from './ticket-form';
import { Notice, Page, whyLocked } from './ui';

// Its own module, so the ticket page does not load the form (and zod with it).
export function EditTicketView({ ticket, currentUserId }: { ticket: Ticket; currentUserId: string }) {
  const back = (
    <Button asChild variant="outline" alignSelf="start">
      <NextLink href={`/tickets/${ticket.id}`}>Back to the ticket</NextLink>
    </Button>
  );
  if (ticket.sellerId !== currentUserId) {
    return (
      <Page title="Edit ticket">
        <Notice status="error" title="Not your ticket">
          Only the seller can edit this ticket.
        </Notice>
        {back}
      </Page>
    );
  }
  if (ticket.status !== 'available') {
    return (
      <Page title="Edit ticket">
        <Notice status="info" title={ticket.status === 'sold' ? 'Sold' : 'Reserved'}>
          {whyLocked(ticket)}
        </Notice>
        {back}
      </Page>
    );
  }
  return (
    <Page title="Edit ticket">
      <TicketForm ticket={ticket} />
    </Page>
  );
}
