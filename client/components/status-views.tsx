'use client';

import { Button, HStack, Text } from '@chakra-ui/react';
import NextLink from 'next/link';
import { TicketCardSkeletons } from './ticket-list';
import { Page } from './ui';

export function NotFoundView() {
  return (
    <Page title="Not found">
      <Text color="gray.700">This page does not exist, or what it showed has been removed.</Text>
      <Button asChild colorPalette="teal" alignSelf="start">
        <NextLink href="/">Back to tickets</NextLink>
      </Button>
    </Page>
  );
}

export function ErrorView({ onRetry }: { onRetry: () => void }) {
  return (
    <Page title="Something went wrong">
      <Text color="gray.700" role="alert">
        GitTix could not load this page. It may be a temporary problem; please try again.
      </Text>
      <HStack gap="3">
        <Button colorPalette="teal" onClick={onRetry}>
          Try again
        </Button>
        <Button asChild variant="outline">
          <NextLink href="/">Back to tickets</NextLink>
        </Button>
      </HStack>
    </Page>
  );
}

export function HomeLoadingView() {
  return (
    <Page title="Tickets for sale">
      <TicketCardSkeletons />
    </Page>
  );
}
