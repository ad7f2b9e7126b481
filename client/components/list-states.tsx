'use client';

import { EmptyState, SimpleGrid, Skeleton, type SimpleGridProps } from '@chakra-ui/react';
import type { ReactNode } from 'react';

export type TicketColumns = SimpleGridProps['columns'];
export const DEFAULT_TICKET_COLUMNS: TicketColumns = { base: 1, sm: 2, lg: 3 };

// The listings' loading and empty states. A module of their own: the loading
// boundary, the error and not-found pages (loaded with every page) and the
// orders list use them, and must not bring the tickets listing along.

/** Placeholders in the shape of a grid of ticket cards. */
export function TicketCardSkeletons({
  count = 6,
  columns = DEFAULT_TICKET_COLUMNS,
}: {
  count?: number;
  columns?: TicketColumns;
}) {
  return (
    <SimpleGrid columns={columns} gap="4" aria-busy="true" aria-label="Loading tickets">
      {Array.from({ length: count }, (_, i) => (
        <Skeleton key={i} height="72" borderRadius="lg" />
      ))}
    </SimpleGrid>
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
