'use client';

import { Card, EmptyState, HStack, LinkOverlay, SimpleGrid, Skeleton, Stack, Text } from '@chakra-ui/react';
import NextLink from 'next/link';
import type { ReactNode } from 'react';
import useSWRInfinite from 'swr/infinite';
import { ApiError, fetchTicketPage, type Ticket, type TicketPage } from '@/lib/api';
import { formatPrice } from '@/lib/format';
import { ErrorList, LoadMoreButton, TicketStatusBadge } from './ui';

export function TicketCardSkeletons({ count = 6 }: { count?: number }) {
  return (
    <SimpleGrid columns={{ base: 1, sm: 2, lg: 3 }} gap="4" aria-busy="true" aria-label="Loading tickets">
      {Array.from({ length: count }, (_, i) => (
        <Skeleton key={i} height="32" borderRadius="lg" />
      ))}
    </SimpleGrid>
  );
}

function TicketCard({ ticket, showStatus }: { ticket: Ticket; showStatus: boolean }) {
  return (
    <Card.Root
      as="li"
      size="sm"
      position="relative"
      bg="white"
      _hover={{ borderColor: 'teal.400', boxShadow: 'sm' }}
      _focusWithin={{ borderColor: 'teal.500', boxShadow: 'outline' }}
      data-testid="ticket-card"
    >
      <Card.Body gap="2">
        <HStack justify="space-between" align="start" gap="3">
          <Card.Title as="h2" fontSize="lg" lineClamp={2} wordBreak="break-word">
            <LinkOverlay asChild>
              <NextLink href={`/tickets/${ticket.id}`}>{ticket.title}</NextLink>
            </LinkOverlay>
          </Card.Title>
          {showStatus ? <TicketStatusBadge status={ticket.status} /> : null}
        </HStack>
        <Text fontSize="2xl" fontWeight="bold" color="teal.700">
          {formatPrice(ticket.price)}
        </Text>
        {showStatus ? null : (
          <Text fontSize="sm" color="gray.600">
            Sold by{' '}
            <Text as="span" fontWeight="medium" color="gray.800">
              {ticket.sellerName}
            </Text>
          </Text>
        )}
      </Card.Body>
    </Card.Root>
  );
}

/**
 * A cursor-paginated tickets listing: the first page comes from the server
 * render, "Load more" follows the API's `Link: rel="next"` URL.
 */
export function TicketList({
  firstPageKey,
  initialPage,
  showStatus = false,
  empty,
}: {
  firstPageKey: string;
  initialPage: TicketPage | null;
  /** Seller view: a status badge instead of the seller's name. */
  showStatus?: boolean;
  empty: ReactNode;
}) {
  const { data, error, size, setSize, isLoading, isValidating } = useSWRInfinite<TicketPage, ApiError>(
    (index, previous: TicketPage | null) => (index === 0 ? firstPageKey : (previous?.next ?? null)),
    (path: string) => fetchTicketPage(path),
    { fallbackData: initialPage ? [initialPage] : undefined, revalidateFirstPage: false },
  );

  if (!data && isLoading) return <TicketCardSkeletons />;
  if (!data) return <ErrorList messages={[error?.message ?? 'Could not load tickets.']} />;

  // Pages can overlap when tickets are added between requests; show each ticket once.
  const seen = new Set<string>();
  const tickets = data.flatMap((page) => page.tickets).filter((t) => !seen.has(t.id) && seen.add(t.id));
  const last = data[data.length - 1];
  const hasMore = Boolean(last?.next);
  const loadingMore = isValidating && data.length < size;

  if (tickets.length === 0) return <>{empty}</>;

  return (
    <Stack gap="6">
      <SimpleGrid as="ul" columns={{ base: 1, sm: 2, lg: 3 }} gap="4" listStyleType="none">
        {tickets.map((ticket) => (
          <TicketCard key={ticket.id} ticket={ticket} showStatus={showStatus} />
        ))}
      </SimpleGrid>
      {error && data.length < size ? <ErrorList messages={[error.message]} /> : null}
      {hasMore ? <LoadMoreButton onClick={() => void setSize(size + 1)} loading={loadingMore} /> : null}
    </Stack>
  );
}

export function TicketsEmpty({
  title,
  description,
  action,
}: {
  title: string;
  description: string;
  action?: ReactNode;
}) {
  return (
    <EmptyState.Root borderWidth="1px" borderStyle="dashed" borderRadius="lg" bg="white">
      <EmptyState.Content>
        <EmptyState.Title>{title}</EmptyState.Title>
        <EmptyState.Description>{description}</EmptyState.Description>
        {action}
      </EmptyState.Content>
    </EmptyState.Root>
  );
}
