'use client';

import { Badge, Box, Card, HStack, Image, LinkOverlay, SimpleGrid, Stack, Text } from '@chakra-ui/react';
import NextLink from 'next/link';
import { useState, type ReactNode } from 'react';
import useSWRInfinite from 'swr/infinite';
import { ApiError, fetchTicketPage, type Ticket, type TicketPage } from '@/lib/api';
import { CATEGORY_LABELS, eventHasStarted, type TicketCategory } from '@/lib/contracts-lite';
import { formatPrice } from '@/lib/format';
import { EventDate } from './event-date';
import { DEFAULT_TICKET_COLUMNS, TicketCardSkeletons, type TicketColumns } from './list-states';
import { ErrorList, LoadMoreButton, TicketStatusBadge } from './ui';

type Columns = TicketColumns;
const DEFAULT_COLUMNS = DEFAULT_TICKET_COLUMNS;

/** A tint per category for the picture placeholder (light, so the dark label on it keeps its contrast). */
const PLACEHOLDER_TINTS: Record<TicketCategory | 'none', string> = {
  concert: 'purple.100',
  sports: 'green.100',
  theatre: 'red.100',
  comedy: 'yellow.100',
  festival: 'orange.100',
  other: 'blue.100',
  none: 'gray.100',
};

/**
 * The seller's picture, or a placeholder (the category on a tint) when there
 * is none or it does not load. Decorative: the card's title says what it is.
 */
function TicketPicture({ ticket }: { ticket: Ticket }) {
  const [failed, setFailed] = useState(false);
  const label = ticket.category ? CATEGORY_LABELS[ticket.category] : 'Ticket';
  return (
    <Box
      // Wide and short on a phone, where a card is as wide as the screen.
      aspectRatio={{ base: '5 / 2', sm: '16 / 9' }}
      bg={PLACEHOLDER_TINTS[ticket.category ?? 'none']}
      overflow="hidden"
      flexShrink={0}
    >
      {ticket.imageUrl && !failed ? (
        <Image
          src={ticket.imageUrl}
          alt=""
          loading="lazy"
          referrerPolicy="no-referrer"
          // (One that failed before hydration shows as the bare tint: an empty alt draws no broken icon.)
          onError={() => setFailed(true)}
          width="full"
          height="full"
          objectFit="cover"
        />
      ) : (
        <Box
          aria-hidden="true"
          height="full"
          display="flex"
          alignItems="center"
          justifyContent="center"
          color="gray.700"
          fontWeight="bold"
          fontSize="xl"
          letterSpacing="wide"
          textTransform="uppercase"
          data-testid="ticket-placeholder"
        >
          {label}
        </Box>
      )}
    </Box>
  );
}

function TicketCard({ ticket, showStatus, now }: { ticket: Ticket; showStatus: boolean; now: number | null }) {
  const past = now !== null && eventHasStarted(ticket.eventDate, now);
  const place = [ticket.venue, ticket.city].filter(Boolean).join(' · ');
  return (
    <Card.Root
      as="li"
      size="sm"
      position="relative"
      overflow="hidden"
      bg="white"
      minW="0"
      _hover={{ borderColor: 'teal.400', boxShadow: 'sm' }}
      _focusWithin={{ borderColor: 'teal.500', boxShadow: 'outline' }}
      data-testid="ticket-card"
      data-past={past ? 'true' : undefined}
    >
      <TicketPicture ticket={ticket} />
      <Card.Body gap="1.5">
        <HStack justify="space-between" align="start" gap="2">
          <Card.Title as="h2" fontSize="lg" lineClamp={2} wordBreak="break-word" minW="0">
            <LinkOverlay asChild>
              <NextLink href={`/tickets/${ticket.id}`}>{ticket.title}</NextLink>
            </LinkOverlay>
          </Card.Title>
          {showStatus ? (
            <HStack gap="1" flexShrink={0}>
              {past ? (
                <Badge colorPalette="gray" variant="solid" size="md" data-testid="ticket-past">
                  past
                </Badge>
              ) : null}
              <TicketStatusBadge status={ticket.status} />
            </HStack>
          ) : null}
        </HStack>
        {ticket.eventDate ? (
          <EventDate iso={ticket.eventDate} fontSize="sm" fontWeight="medium" color="gray.800" />
        ) : null}
        {place ? (
          <Text fontSize="sm" color="gray.600" lineClamp={1} wordBreak="break-all" data-testid="ticket-place">
            {place}
          </Text>
        ) : null}
        <HStack justify="space-between" align="center" gap="2" mt="1" wrap="wrap">
          <Text fontSize="2xl" fontWeight="bold" color="teal.700">
            {formatPrice(ticket.price)}
          </Text>
          {ticket.category ? (
            <Badge variant="outline" colorPalette="gray" size="md">
              {CATEGORY_LABELS[ticket.category]}
            </Badge>
          ) : null}
        </HStack>
        {showStatus ? null : (
          <Text fontSize="sm" color="gray.600" truncate>
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
 * The pages of a cursor-paginated tickets listing: the first one from the
 * server render (`initialPage`, for `firstPageKey` only), the next ones by
 * following the API's `Link: rel="next"` URL. `keepPrevious`: while a new
 * search loads, the previous results stay (`showingPrevious`).
 */
export function useTicketPages(firstPageKey: string, initialPage: TicketPage | null, keepPrevious = false) {
  const { data, error, size, setSize, isLoading, isValidating } = useSWRInfinite<TicketPage, ApiError>(
    (index, previous: TicketPage | null) => (index === 0 ? firstPageKey : (previous?.next ?? null)),
    (path: string) => fetchTicketPage(path),
    {
      fallbackData: initialPage ? [initialPage] : undefined,
      revalidateFirstPage: false,
      keepPreviousData: keepPrevious,
    },
  );
  // Pages can overlap when tickets are added between requests; show each ticket once.
  const seen = new Set<string>();
  const tickets = (data ?? []).flatMap((page) => page.tickets).filter((t) => !seen.has(t.id) && seen.add(t.id));
  const last = data?.[data.length - 1];
  return {
    data,
    tickets,
    total: data?.[0]?.total ?? null,
    error,
    isLoading,
    /**
     * Results of the previous key, shown while this one loads. Not the server's
     * first page of this very key, which SWR checks again after hydration: that
     * page is this search's answer, so it is not dimmed or called "Searching…".
     */
    showingPrevious: keepPrevious && isLoading && data !== undefined && data[0] !== initialPage,
    hasMore: Boolean(last?.next),
    loadingMore: isValidating && data !== undefined && data.length < size,
    /** An error while loading a further page (the ones shown stay). */
    moreError: error && data !== undefined && data.length < size ? error : undefined,
    loadMore: () => void setSize(size + 1),
  };
}

export function TicketGrid({
  pages,
  showStatus = false,
  now = null,
  columns = DEFAULT_COLUMNS,
}: {
  pages: ReturnType<typeof useTicketPages>;
  /** Seller view: a status badge instead of the seller's name. */
  showStatus?: boolean;
  /** The time to mark events that have started as past at (seller view); null: no marks. */
  now?: number | null;
  columns?: Columns;
}) {
  return (
    <Stack gap="6">
      <SimpleGrid as="ul" columns={columns} gap="4" listStyleType="none">
        {pages.tickets.map((ticket) => (
          <TicketCard key={ticket.id} ticket={ticket} showStatus={showStatus} now={now} />
        ))}
      </SimpleGrid>
      {pages.moreError ? <ErrorList messages={[pages.moreError.message]} /> : null}
      {pages.hasMore ? <LoadMoreButton onClick={pages.loadMore} loading={pages.loadingMore} /> : null}
    </Stack>
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
  now = null,
  empty,
}: {
  firstPageKey: string;
  initialPage: TicketPage | null;
  showStatus?: boolean;
  now?: number | null;
  empty: ReactNode;
}) {
  const pages = useTicketPages(firstPageKey, initialPage);
  if (!pages.data && pages.isLoading) return <TicketCardSkeletons />;
  if (!pages.data) return <ErrorList messages={[pages.error?.message ?? 'Could not load tickets.']} />;
  if (pages.tickets.length === 0) return <>{empty}</>;
  return <TicketGrid pages={pages} showStatus={showStatus} now={now} />;
}
