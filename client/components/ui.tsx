'use client';

import { Alert, Badge, Box, Button, Container, Heading, Stack, type ContainerProps } from '@chakra-ui/react';
import type { ReactNode } from 'react';
import type { OrderStatus, Ticket, TicketStatus } from '@/lib/api';

export function Page({ title, children, ...rest }: { title: string; children: ReactNode } & ContainerProps) {
  return (
    <Container maxW="6xl" py={{ base: '6', md: '10' }} {...rest}>
      <Stack gap="6">
        <Heading as="h1" size={{ base: '2xl', md: '3xl' }}>
          {title}
        </Heading>
        {children}
      </Stack>
    </Container>
  );
}

/** An error or notice in the page's flow; `role="alert"` for errors so screen readers hear it at once. */
export function Notice({
  status = 'error',
  title,
  children,
}: {
  status?: 'error' | 'info' | 'warning' | 'success';
  title?: string;
  children?: ReactNode;
}) {
  return (
    <Alert.Root status={status} role={status === 'error' ? 'alert' : 'status'} borderRadius="md">
      <Alert.Indicator />
      <Alert.Content>
        {title ? <Alert.Title>{title}</Alert.Title> : null}
        {children ? <Alert.Description>{children}</Alert.Description> : null}
      </Alert.Content>
    </Alert.Root>
  );
}

export function ErrorList({ messages }: { messages: string[] }) {
  if (messages.length === 0) return null;
  return (
    <Notice status="error">
      {messages.length === 1 ? (
        messages[0]
      ) : (
        <ul style={{ paddingLeft: '1rem' }}>
          {messages.map((m) => (
            <li key={m}>{m}</li>
          ))}
        </ul>
      )}
    </Notice>
  );
}

/** Why the seller cannot edit or delete a ticket that is not available. */
export function whyLocked(ticket: Ticket): string {
  return ticket.status === 'sold'
    ? 'This ticket has been sold, so it can no longer be edited or deleted.'
    : 'A buyer is paying for this ticket right now, so it cannot be edited or deleted. If their order expires or is cancelled, the ticket becomes available again.';
}

const TICKET_BADGES: Record<TicketStatus, { label: string; palette: string }> = {
  available: { label: 'available', palette: 'green' },
  reserved: { label: 'reserved', palette: 'orange' },
  sold: { label: 'sold', palette: 'gray' },
};

export function TicketStatusBadge({ status }: { status: TicketStatus }) {
  const badge = TICKET_BADGES[status];
  return (
    <Badge colorPalette={badge.palette} variant="subtle" size="md" data-testid="ticket-status">
      {badge.label}
    </Badge>
  );
}

const ORDER_BADGES: Record<OrderStatus, { label: string; palette: string }> = {
  created: { label: 'awaiting payment', palette: 'orange' },
  complete: { label: 'complete', palette: 'green' },
  cancelled: { label: 'cancelled', palette: 'gray' },
};
const EXPIRED_BADGE = { label: 'expired', palette: 'red' };

/** `expired` is shown for an unpaid order past its deadline that the server has not cancelled yet. */
export function OrderStatusBadge({ status, expired = false }: { status: OrderStatus; expired?: boolean }) {
  const badge = status === 'created' && expired ? EXPIRED_BADGE : ORDER_BADGES[status];
  return (
    <Badge colorPalette={badge.palette} variant="subtle" size="md" data-testid="order-status">
      {badge.label}
    </Badge>
  );
}

/** The "Load more" of a cursor-paginated list (the API's `Link: rel="next"`). */
export function LoadMoreButton({ onClick, loading }: { onClick: () => void; loading: boolean }) {
  return (
    <Box textAlign="center">
      <Button variant="outline" colorPalette="teal" onClick={onClick} loading={loading} loadingText="Loading">
        Load more
      </Button>
    </Box>
  );
}
