'use client';

import { Button } from '@chakra-ui/react';
import NextLink from 'next/link';
import { keys, type TicketPage } from '@/lib/api';
import { useCurrentUser } from '@/lib/hooks';
import { TicketList, TicketsEmpty } from './ticket-list';
import { Page } from './ui';

export function HomeView({ initialPage }: { initialPage: TicketPage | null }) {
  const { data: user } = useCurrentUser();
  return (
    <Page title="Tickets for sale">
      <TicketList
        firstPageKey={keys.availableTickets}
        initialPage={initialPage}
        empty={
          <TicketsEmpty
            title="No tickets for sale right now"
            description="When someone lists a ticket, it shows up here."
            action={
              <Button asChild colorPalette="teal">
                <NextLink href={user ? '/tickets/new' : '/auth/signup'}>
                  {user ? 'Sell a ticket' : 'Sign up to sell a ticket'}
                </NextLink>
              </Button>
            }
          />
        }
      />
    </Page>
  );
}
