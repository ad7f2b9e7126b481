'use client';

import { Box, Button, HStack, LinkOverlay, Stack, Text } from '@chakra-ui/react';
import NextLink from 'next/link';
import useSWR from 'swr';
import { fetchOrders, keys, type ApiError, type Order } from '@/lib/api';
import { formatDate, formatPrice } from '@/lib/format';
import { useNow } from '@/lib/hooks';
import { TicketCardSkeletons, TicketsEmpty } from './ticket-list';
import { ErrorList, OrderStatusBadge, Page } from './ui';

export function isAwaitingPayment(order: Order): boolean {
  return order.status === 'created' || order.status === 'awaiting:payment';
}

export function OrdersView({ initialOrders, serverNow }: { initialOrders: Order[] | null; serverNow: number }) {
  const { data: orders, error } = useSWR<Order[], ApiError>(keys.orders, fetchOrders, {
    fallbackData: initialOrders ?? undefined,
  });
  const now = useNow(serverNow);

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
      <Stack as="ul" gap="3" listStyleType="none">
        {orders.map((order) => {
          const expired = isAwaitingPayment(order) && Date.parse(order.expiresAt) <= now;
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
    );
  }

  return <Page title="My orders">{body}</Page>;
}
