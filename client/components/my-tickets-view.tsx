'use client';

import { Button, HStack, Text } from '@chakra-ui/react';
import NextLink from 'next/link';
import { keys, type TicketPage } from '@/lib/api';
import { useNow } from '@/lib/hooks';
import { TicketsEmpty } from './list-states';
import { TicketList } from './ticket-list';
import { Page } from './ui';

export function MyTicketsView({
  userId,
  initialPage,
  serverNow,
}: {
  userId: string;
  initialPage: TicketPage | null;
  /** When the server rendered the page: hydration marks past events by the same clock. */
  serverNow: number;
}) {
  // Events that have started are marked past; a minute is precise enough for that.
  const now = useNow(serverNow, 60_000);
  return (
    <Page title="My tickets">
      <HStack justify="space-between" wrap="wrap" gap="3">
        <Text color="gray.600">
          Everything you have listed: available, reserved by a buyer, or sold. Events that have started are marked past.
        </Text>
        <Button asChild colorPalette="teal" size="sm">
          <NextLink href="/tickets/new">Sell a ticket</NextLink>
        </Button>
      </HStack>
      <TicketList
        firstPageKey={keys.sellerTickets(userId)}
        initialPage={initialPage}
        showStatus
        now={now}
        empty={<TicketsEmpty title="You have not listed any tickets" description="Tickets you sell show up here." />}
      />
    </Page>
  );
}
