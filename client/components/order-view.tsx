'use client';

import { Box, Button, HStack, Link, Spinner, Stack, Text } from '@chakra-ui/react';
import { isOrderOpen, isOrderPayable } from '@/lib/contracts-lite';
import NextLink from 'next/link';
import { useCallback, useState } from 'react';
import useSWR from 'swr';
import { ApiError, cancelOrder, fetchOrder, keys, listPayments, type Order, type Payment } from '@/lib/api';
import { formatCountdown, formatMoney, formatPrice } from '@/lib/format';
import { useNow } from '@/lib/hooks';
import { PaymentForm } from './payment-form';
import { ErrorList, Notice, OrderStatusBadge, Page } from './ui';

/** How long to wait for `payment:created` to reach the orders service before saying so. */
const CONFIRMATION_PATIENCE_MS = 30_000;
/** How long a cancelled order's page waits for the refund of a charge that went through anyway. */
const REFUND_PATIENCE_MS = 120_000;

function BackHome() {
  return (
    <Button asChild colorPalette="teal" variant="outline" alignSelf="start">
      <NextLink href="/">Back to tickets</NextLink>
    </Button>
  );
}

function Countdown({ msLeft }: { msLeft: number }) {
  const urgent = msLeft < 60_000;
  return (
    <Box bg={urgent ? 'red.50' : 'teal.50'} borderRadius="lg" p="4" textAlign={{ base: 'center', sm: 'start' }}>
      <Text fontSize="sm" color="gray.700" id="countdown-label">
        Time left to pay
      </Text>
      {/* role=timer is not announced every second; the label says what it is. */}
      <Text
        role="timer"
        aria-labelledby="countdown-label"
        fontSize="4xl"
        fontWeight="bold"
        fontVariantNumeric="tabular-nums"
        color={urgent ? 'red.700' : 'teal.800'}
        data-testid="countdown"
      >
        {formatCountdown(msLeft)}
      </Text>
      <Text fontSize="sm" color="gray.600">
        The ticket is held for you until then.
      </Text>
    </Box>
  );
}

/**
 * For a cancelled order: its refunded payments, if any (a charge that succeeds for an
 * order that is or becomes cancelled is refunded). A charge still standing is a refund
 * on its way, so the list is polled for a while; until then, and when there is no
 * payment (or the payments service cannot say), nothing is shown.
 */
function RefundNotice({
  orderId,
  initialPayments,
  now,
}: {
  orderId: string;
  initialPayments: Payment[] | null;
  now: number;
}) {
  const [shownAt] = useState(now);
  const [pending, setPending] = useState(false);
  // A number, not a function of the data: SWR calls such a function only when it schedules a
  // poll (at mount, with the fallback not yet in its cache), so a first answer would never start one.
  const { data } = useSWR<Payment[], ApiError>(keys.payments(orderId), () => listPayments(orderId), {
    fallbackData: initialPayments ?? undefined,
    refreshInterval: pending && now - shownAt < REFUND_PATIENCE_MS ? 3000 : 0,
    onSuccess: (payments) => setPending(payments.some((p) => p.status === 'succeeded')),
  });
  const refunded = (data ?? []).filter((p) => p.status === 'refunded');
  if (refunded.length === 0) return null;
  return (
    <Notice status="success" title="Payment refunded">
      <span data-testid="refund-notice">
        {refunded.map((p) => `Your payment of ${formatMoney(p.amount, p.currency)} was refunded.`).join(' ')}
      </span>
    </Notice>
  );
}

function CancelOrderButton({ order, onCancelled }: { order: Order; onCancelled: (order: Order) => void }) {
  const [cancelling, setCancelling] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function handleCancel() {
    setCancelling(true);
    setError(null);
    try {
      onCancelled(await cancelOrder(order.id));
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'Could not cancel the order. Please try again.');
    } finally {
      setCancelling(false);
    }
  }

  return (
    <Stack gap="2">
      {error ? <ErrorList messages={[error]} /> : null}
      <Button
        variant="ghost"
        colorPalette="gray"
        onClick={() => void handleCancel()}
        loading={cancelling}
        alignSelf="start"
      >
        Cancel order and release the ticket
      </Button>
    </Stack>
  );
}

export function OrderView({
  initialOrder,
  initialPayments = null,
  serverNow,
}: {
  initialOrder: Order;
  /** The order's payments, from the server render of a cancelled order (null: not known). */
  initialPayments?: Payment[] | null;
  serverNow: number;
}) {
  const [paidAt, setPaidAt] = useState<number | null>(null);
  const now = useNow(serverNow);

  // Poll while something is about to change on the server: the payment being confirmed
  // (payment:created → complete) or an expired order being cancelled by expiration.
  // Memoised: SWR restarts its polling timer whenever this option changes identity,
  // and this component re-renders every second for the countdown.
  const deadlinePassed = Date.parse(initialOrder.expiresAt) <= now;
  const refreshInterval = useCallback(
    (latest: Order | undefined) => {
      if (!isOrderOpen(latest ?? initialOrder)) return 0;
      if (paidAt !== null) return 1000;
      return deadlinePassed ? 2000 : 0;
    },
    [initialOrder, paidAt, deadlinePassed],
  );
  const { data, mutate } = useSWR<Order, ApiError>(keys.order(initialOrder.id), fetchOrder, {
    fallbackData: initialOrder,
    refreshInterval,
  });
  const order = data ?? initialOrder;
  const msLeft = Date.parse(order.expiresAt) - now;
  const stillAwaiting = isOrderOpen(order);
  const expired = stillAwaiting && !isOrderPayable(order, now) && paidAt === null;

  let state;
  if (order.status === 'complete') {
    state = (
      <>
        <Notice status="success" title="Payment complete">
          The ticket is yours. You can find this order under My orders.
        </Notice>
        <HStack gap="3" wrap="wrap">
          <Button asChild colorPalette="teal">
            <NextLink href="/orders">My orders</NextLink>
          </Button>
          <BackHome />
        </HStack>
      </>
    );
  } else if (order.status === 'cancelled') {
    state = (
      <>
        <Notice status="info" title="This order was cancelled">
          The ticket was released and may be available to buy again.
        </Notice>
        <RefundNotice orderId={order.id} initialPayments={initialPayments} now={now} />
        <BackHome />
      </>
    );
  } else if (paidAt !== null) {
    const slow = now - paidAt > CONFIRMATION_PATIENCE_MS;
    state = (
      <HStack gap="3" role="status" align="center">
        <Spinner size="sm" color="teal.600" />
        <Text>
          {slow
            ? 'Payment received. Confirming the order is taking longer than usual; it will show as complete under My orders.'
            : 'Payment received. Confirming your order…'}
        </Text>
      </HStack>
    );
  } else if (expired) {
    state = (
      <>
        <Notice status="warning" title="This order has expired">
          The time to pay ran out, so the ticket has been released.
        </Notice>
        <BackHome />
      </>
    );
  } else {
    state = (
      <>
        <Countdown msLeft={msLeft} />
        <PaymentForm order={order} disabled={false} onPaid={() => setPaidAt(Date.now())} />
        <CancelOrderButton order={order} onCancelled={(cancelled) => void mutate(cancelled, { revalidate: false })} />
      </>
    );
  }

  return (
    <Page title="Your order" maxW="2xl">
      <Box bg="white" borderWidth="1px" borderRadius="lg" p={{ base: '4', md: '6' }}>
        <Stack gap="2">
          <HStack justify="space-between" align="start" gap="3" wrap="wrap">
            <Link asChild fontSize="xl" fontWeight="semibold" color="teal.800" wordBreak="break-word">
              <NextLink href={`/tickets/${order.ticket.id}`}>{order.ticket.title}</NextLink>
            </Link>
            <OrderStatusBadge status={order.status} expired={expired} />
          </HStack>
          <Text fontSize="2xl" fontWeight="bold" data-testid="order-price">
            {formatPrice(order.ticket.price)}
          </Text>
          <Text fontSize="sm" color="gray.600">
            Status:{' '}
            <span data-testid="order-status-text">
              {expired ? 'expired' : stillAwaiting ? 'awaiting payment' : order.status}
            </span>
          </Text>
        </Stack>
      </Box>
      {state}
    </Page>
  );
}
