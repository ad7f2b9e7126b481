'use client';

import { Button, HStack, Text } from '@chakra-ui/react';
import NextLink from 'next/link';
import { TicketCardSkeletons } from './list-states';
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

function ErrorView({ onRetry }: { onRetry: () => void }) {
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

/** The root error boundary (app/error.tsx). */
export function ErrorPage({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <ErrorView onRetry={reset} />;
}

export function HomeLoadingView() {
  return (
    <Page title="Tickets for sale">
      <TicketCardSkeletons />
    </Page>
  );
}
