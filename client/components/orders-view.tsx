'use client';

import { Box, Button, HStack, LinkOverlay, Stack, Text } from '@chakra-ui/react';
import { isOrderOpen, isOrderPayable } from '@/lib/contracts-lite';
import NextLink from 'next/link';
import useSWRInfinite from 'swr/infinite';
import { fetchOrderPage, keys, type ApiError, type OrderPage } from '@/lib/api';
import { formatDate, formatPrice } from '@/lib/format';
import { useNow } from '@/lib/hooks';
import { TicketCardSkeletons, TicketsEmpty } from './list-states';
import { ErrorList, LoadMoreButton, OrderStatusBadge, Page } from './ui';

/**
 * The buyer's orders, newest first: the first page comes from the server render,
 * "Load more" follows the API's `Link: rel="next"` URL (an orders service that
 * does not paginate sends them all, with no Link, and there is no button).
 */
export function OrdersView({ initialPage, serverNow }: { initialPage: OrderPage | null; serverNow: number }) {
  const { data, error, size, setSize, isValidating } = useSWRInfinite<OrderPage, ApiError>(
    (index, previous: OrderPage | null) => (index === 0 ? keys.orders : (previous?.next ?? null)),
    (path: string) => fetchOrderPage(path),
    { fallbackData: initialPage ? [initialPage] : undefined, revalidateFirstPage: false },
  );
  const now = useNow(serverNow);

  // Pages can overlap when orders are placed between requests; show each order once.
  const seen = new Set<string>();
  const orders = data?.flatMap((page) => page.orders).filter((o) => !seen.has(o.id) && seen.add(o.id));
  const hasMore = Boolean(data?.[data.length - 1]?.next);
  const loadingMore = isValidating && (data?.length ?? 0) < size;

  let body;
  if (!orders && error) body = <ErrorList messages={[error.message]} />;
  else if (!orders) body = <TicketCardSkeletons count={3} />;
  else if (orders.length === 0) {
    body = (
      <TicketsEmpty
        title="No orders yet"
        description="Tickets you buy show up here."
        action={
          <Button asChild colorPalette="teal">
            <NextLink href="/">Browse tickets</NextLink>
          </Button>
        }
      />
    );
  } else {
    body = (
      <Stack gap="6">
        <Stack as="ul" gap="3" listStyleType="none">
          {orders.map((order) => {
            const expired = isOrderOpen(order) && !isOrderPayable(order, now);
            return (
              <Box
                as="li"
                key={order.id}
                position="relative"
                bg="white"
                borderWidth="1px"
                borderRadius="lg"
                p="4"
                _hover={{ borderColor: 'teal.400' }}
                _focusWithin={{ borderColor: 'teal.500' }}
                data-testid="order-row"
              >
                <HStack justify="space-between" align="start" gap="3" wrap="wrap">
                  <Stack gap="1" minW="0">
                    <Text fontWeight="semibold" fontSize="lg" wordBreak="break-word">
                      <LinkOverlay asChild>
                        <NextLink href={`/orders/${order.id}`}>{order.ticket.title}</NextLink>
                      </LinkOverlay>
                    </Text>
                    <Text fontSize="sm" color="gray.600">
                      {formatPrice(order.ticket.price)}
                      {order.createdAt ? ` · ordered ${formatDate(order.createdAt)}` : ''}
                    </Text>
                  </Stack>
                  <OrderStatusBadge status={order.status} expired={expired} />
                </HStack>
              </Box>
            );
          })}
        </Stack>
        {error && data && data.length < size ? <ErrorList messages={[error.message]} /> : null}
        {hasMore ? <LoadMoreButton onClick={() => void setSize(size + 1)} loading={loadingMore} /> : null}
      </Stack>
    );
  }

  return <Page title="My orders">{body}</Page>;
}
