'use client';

import { Button, HStack, Text } from '@chakra-ui/react';
import NextLink from 'next/link';
import { keys, type TicketPage } from '@/lib/api';
import { TicketList, TicketsEmpty } from './ticket-list';
import { Page } from './ui';

export function MyTicketsView({ userId, initialPage }: { userId: string; initialPage: TicketPage | null }) {
  return (
    <Page title="My tickets">
      <HStack justify="space-between" wrap="wrap" gap="3">
        <Text color="gray.600">Everything you have listed: available, reserved by a buyer, or sold.</Text>
        <Button asChild colorPalette="teal" size="sm">
          <NextLink href="/tickets/new">Sell a ticket</NextLink>
        </Button>
      </HStack>
      <TicketList
        firstPageKey={keys.sellerTickets(userId)}
        initialPage={initialPage}
        showStatus
        empty={<TicketsEmpty title="You have not listed any tickets" description="Tickets you sell show up here." />}
      />
    </Page>
  );
}
