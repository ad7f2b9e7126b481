'use client';

import {
  Box,
  Button,
  CloseButton,
  Container,
  Dialog,
  Grid,
  Heading,
  HStack,
  Image,
  Link,
  Portal,
  Stack,
  Text,
} from '@chakra-ui/react';
import NextLink from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import useSWR, { useSWRConfig } from 'swr';
import { ApiError, createOrderWhenKnown, deleteTicket, fetchTicket, keys, type Ticket } from '@/lib/api';
import { formatDate, formatPrice } from '@/lib/format';
import { TicketForm } from './ticket-form';
import { ErrorList, Notice, Page, TicketStatusBadge } from './ui';

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

function whyLocked(ticket: Ticket): string {
  return ticket.status === 'sold'
    ? 'This ticket has been sold, so it can no longer be edited or deleted.'
    : 'A buyer is paying for this ticket right now, so it cannot be edited or deleted. If their order expires or is cancelled, the ticket becomes available again.';
}

function DeleteTicketButton({ ticket }: { ticket: Ticket }) {
  const router = useRouter();
  const { mutate } = useSWRConfig();
  const [open, setOpen] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function handleDelete() {
    setDeleting(true);
    setError(null);
    try {
      await deleteTicket(ticket.id);
      await mutate(keys.ticket(ticket.id), undefined, { revalidate: false });
      setOpen(false);
      router.push('/tickets/mine');
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'Could not delete the ticket. Please try again.');
      setDeleting(false);
    }
  }

  return (
    <Dialog.Root role="alertdialog" open={open} onOpenChange={(d) => setOpen(d.open)} placement="center">
      <Dialog.Trigger asChild>
        <Button variant="outline" colorPalette="red">
          Delete
        </Button>
      </Dialog.Trigger>
      <Portal>
        <Dialog.Backdrop />
        <Dialog.Positioner px="4">
          <Dialog.Content>
            <Dialog.Header>
              <Dialog.Title>Delete this ticket?</Dialog.Title>
            </Dialog.Header>
            <Dialog.Body>
              <Stack gap="3">
                <Dialog.Description>
                  “{ticket.title}” will be removed from sale. This cannot be undone.
                </Dialog.Description>
                {error ? <ErrorList messages={[error]} /> : null}
              </Stack>
            </Dialog.Body>
            <Dialog.Footer>
              <Dialog.ActionTrigger asChild>
                <Button variant="outline">Keep it</Button>
              </Dialog.ActionTrigger>
              <Button colorPalette="red" onClick={() => void handleDelete()} loading={deleting} loadingText="Deleting">
                Delete ticket
              </Button>
            </Dialog.Footer>
            <Dialog.CloseTrigger asChild>
              <CloseButton size="sm" aria-label="Close" />
            </Dialog.CloseTrigger>
          </Dialog.Content>
        </Dialog.Positioner>
      </Portal>
    </Dialog.Root>
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

function TicketActions({ ticket, currentUserId }: { ticket: Ticket; currentUserId: string | null }) {
  const isOwner = currentUserId !== null && currentUserId === ticket.sellerId;

  if (isOwner) {
    if (ticket.status !== 'available') {
      return (
        <Notice status="info" title={ticket.status === 'sold' ? 'Sold' : 'Reserved'}>
          {whyLocked(ticket)}
        </Notice>
      );
    }
    return (
      <HStack gap="3" wrap="wrap">
        <Button asChild colorPalette="teal">
          <NextLink href={`/tickets/${ticket.id}/edit`}>Edit</NextLink>
        </Button>
        <DeleteTicketButton ticket={ticket} />
      </HStack>
    );
  }
  if (ticket.status === 'sold') return <Notice status="info">This ticket has been sold.</Notice>;
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

export function TicketView({ initialTicket, currentUserId }: { initialTicket: Ticket; currentUserId: string | null }) {
  const { data } = useSWR<Ticket, ApiError>(keys.ticket(initialTicket.id), fetchTicket, {
    fallbackData: initialTicket,
  });
  const ticket = data ?? initialTicket;

  return (
    <Container maxW="4xl" py={{ base: '6', md: '10' }}>
      <Stack gap="6">
        <Link asChild color="teal.700" fontSize="sm" alignSelf="start">
          <NextLink href="/">← All tickets</NextLink>
        </Link>
        <Grid templateColumns={{ base: '1fr', md: ticket.imageUrl ? '1fr 1fr' : '1fr' }} gap="8">
          {ticket.imageUrl ? <TicketImage src={ticket.imageUrl} alt={`Picture for ${ticket.title}`} /> : null}
          <Stack gap="4">
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
              fontSize="sm"
              color="gray.700"
              display="grid"
              gridTemplateColumns="auto 1fr"
              columnGap="3"
              rowGap="1"
            >
              <Text as="dt" color="gray.500">
                Seller
              </Text>
              <Text as="dd" fontWeight="medium" data-testid="ticket-seller">
                {ticket.sellerName}
              </Text>
              {ticket.createdAt ? (
                <>
                  <Text as="dt" color="gray.500">
                    Listed
                  </Text>
                  <Text as="dd">{formatDate(ticket.createdAt)}</Text>
                </>
              ) : null}
            </Box>
            {ticket.description ? (
              <Text whiteSpace="pre-wrap" wordBreak="break-word">
                {ticket.description}
              </Text>
            ) : null}
            <TicketActions ticket={ticket} currentUserId={currentUserId} />
          </Stack>
        </Grid>
      </Stack>
    </Container>
  );
}

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
