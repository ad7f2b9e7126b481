'use client';

import { Box, Button, Container, Grid, Heading, HStack, Image, Link, Stack, Text } from '@chakra-ui/react';
import dynamic from 'next/dynamic';
import NextLink from 'next/link';
import { useRouter } from 'next/navigation';
import { useState, type ReactNode } from 'react';
import useSWR, { useSWRConfig } from 'swr';
import { ApiError, createOrderWhenKnown, fetchTicket, keys, type Ticket } from '@/lib/api';
import { CATEGORY_LABELS, eventHasStarted } from '@/lib/contracts-lite';
import { formatDate, formatPrice } from '@/lib/format';
import { useNow } from '@/lib/hooks';
import { EventDate } from './event-date';
import { ErrorList, Notice, TicketStatusBadge, whyLocked } from './ui';

// Only the seller sees it: its dialog (focus trap, dismissal, presence: about 16 kB gzipped)
// is loaded when it is rendered, not with the page every buyer loads.
const DeleteTicketButton = dynamic(() => import('./delete-ticket-button').then((m) => m.DeleteTicketButton), {
  loading: () => (
    <Button variant="outline" colorPalette="red" disabled>
      Delete
    </Button>
  ),
});

function TicketImage({ src, alt }: { src: string; alt: string }) {
  const [failed, setFailed] = useState(false);
  // A seller's image URL may be unreachable (or offline): then show no image rather than a broken one.
  if (failed) return null;
  return (
    <Image
      src={src}
      alt={alt}
      loading="lazy"
      referrerPolicy="no-referrer"
      onError={() => setFailed(true)}
      borderRadius="lg"
      objectFit="cover"
      width="full"
      maxH="80"
      bg="gray.100"
    />
  );
}

function PurchaseButton({ ticket }: { ticket: Ticket }) {
  const router = useRouter();
  const { mutate } = useSWRConfig();
  const [buying, setBuying] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function handlePurchase() {
    setBuying(true);
    setError(null);
    try {
      const order = await createOrderWhenKnown(ticket.id);
      router.push(`/orders/${order.id}`);
    } catch (e) {
      setBuying(false);
      if (e instanceof ApiError && e.status === 401) {
        router.push(`/auth/signin?next=${encodeURIComponent(`/tickets/${ticket.id}`)}`);
        return;
      }
      setError(e instanceof ApiError ? e.message : 'Could not start your order. Please try again.');
      // The ticket may have been reserved by someone else meanwhile: show its current status.
      await mutate(keys.ticket(ticket.id));
    }
  }

  return (
    <Stack gap="3">
      {error ? <ErrorList messages={[error]} /> : null}
      <Button
        colorPalette="teal"
        size="lg"
        onClick={() => void handlePurchase()}
        loading={buying}
        loadingText="Reserving"
        alignSelf={{ base: 'stretch', sm: 'start' }}
      >
        Purchase
      </Button>
    </Stack>
  );
}

function TicketActions({
  ticket,
  currentUserId,
  started,
}: {
  ticket: Ticket;
  currentUserId: string | null;
  started: boolean;
}) {
  const isOwner = currentUserId !== null && currentUserId === ticket.sellerId;
  const taken = started ? (
    <Notice status="info" title="This event has already taken place">
      {isOwner ? 'Buyers can no longer order this ticket.' : 'This ticket can no longer be bought.'}
    </Notice>
  ) : null;

  if (isOwner) {
    if (ticket.status !== 'available') {
      return (
        <Notice status="info" title={ticket.status === 'sold' ? 'Sold' : 'Reserved'}>
          {whyLocked(ticket)}
        </Notice>
      );
    }
    return (
      <Stack gap="4">
        {taken}
        <HStack gap="3" wrap="wrap">
          <Button asChild colorPalette="teal">
            <NextLink href={`/tickets/${ticket.id}/edit`}>Edit</NextLink>
          </Button>
          <DeleteTicketButton ticket={ticket} />
        </HStack>
      </Stack>
    );
  }
  if (ticket.status === 'sold') return <Notice status="info">This ticket has been sold.</Notice>;
  if (taken) return taken;
  if (ticket.status === 'reserved') {
    return (
      <Notice status="warning">
        Someone is buying this ticket right now. If they do not pay in time, it becomes available again.
      </Notice>
    );
  }
  if (currentUserId === null) {
    return (
      <Stack gap="2" align={{ base: 'stretch', sm: 'start' }}>
        <Button asChild colorPalette="teal" size="lg">
          <NextLink href={`/auth/signin?next=${encodeURIComponent(`/tickets/${ticket.id}`)}`}>Purchase</NextLink>
        </Button>
        <Text fontSize="sm" color="gray.600">
          You will be asked to sign in first.
        </Text>
      </Stack>
    );
  }
  return <PurchaseButton ticket={ticket} />;
}

function Detail({ term, children, testId }: { term: string; children: ReactNode; testId?: string }) {
  return (
    <>
      <Text as="dt" color="gray.600">
        {term}
      </Text>
      <Text as="dd" fontWeight="medium" wordBreak="break-word" data-testid={testId}>
        {children}
      </Text>
    </>
  );
}

export function TicketView({
  initialTicket,
  currentUserId,
  serverNow,
}: {
  initialTicket: Ticket;
  currentUserId: string | null;
  /** When the server rendered the page: hydration tells "started" by the same clock. */
  serverNow: number;
}) {
  const { data } = useSWR<Ticket, ApiError>(keys.ticket(initialTicket.id), fetchTicket, {
    fallbackData: initialTicket,
  });
  const ticket = data ?? initialTicket;
  const now = useNow(serverNow, 5_000);
  const started = eventHasStarted(ticket.eventDate, now);

  return (
    <Container maxW="4xl" py={{ base: '6', md: '10' }}>
      <Stack gap="6">
        <Link asChild color="teal.700" fontSize="sm" alignSelf="start">
          <NextLink href="/">← All tickets</NextLink>
        </Link>
        <Grid templateColumns={{ base: 'minmax(0, 1fr)', md: ticket.imageUrl ? '1fr 1fr' : '1fr' }} gap="8">
          {ticket.imageUrl ? <TicketImage src={ticket.imageUrl} alt={`Picture for ${ticket.title}`} /> : null}
          <Stack gap="4" minW="0">
            <HStack gap="3" wrap="wrap">
              <Heading as="h1" size={{ base: '2xl', md: '3xl' }} wordBreak="break-word">
                {ticket.title}
              </Heading>
              <TicketStatusBadge status={ticket.status} />
            </HStack>
            <Text fontSize="3xl" fontWeight="bold" color="teal.700" data-testid="ticket-price">
              {formatPrice(ticket.price)}
            </Text>
            <Box
              as="dl"
              color="gray.800"
              display="grid"
              gridTemplateColumns="auto minmax(0, 1fr)"
              columnGap="4"
              rowGap="1.5"
            >
              {ticket.eventDate ? (
                <Detail term="When" testId="ticket-date">
                  <EventDate iso={ticket.eventDate} />
                </Detail>
              ) : null}
              {ticket.venue ? (
                <Detail term="Venue" testId="ticket-venue">
                  {ticket.venue}
                </Detail>
              ) : null}
              {ticket.city ? (
                <Detail term="City" testId="ticket-city">
                  {ticket.city}
                </Detail>
              ) : null}
              {ticket.category ? (
                <Detail term="Category" testId="ticket-category">
                  {CATEGORY_LABELS[ticket.category]}
                </Detail>
              ) : null}
              <Detail term="Seller" testId="ticket-seller">
                {ticket.sellerName}
              </Detail>
              {ticket.createdAt ? <Detail term="Listed">{formatDate(ticket.createdAt)}</Detail> : null}
            </Box>
            {ticket.description ? (
              <Text whiteSpace="pre-wrap" wordBreak="break-word">
                {ticket.description}
              </Text>
            ) : null}
            <TicketActions ticket={ticket} currentUserId={currentUserId} started={started} />
          </Stack>
        </Grid>
      </Stack>
    </Container>
  );
}
