'use client';

import { Box, Button, Stack, Text } from '@chakra-ui/react';
import { CardElement, Elements, useElements, useStripe } from '@stripe/react-stripe-js';
// The `pure` entry does not inject Stripe.js on import; `loadStripe` below does, on demand.
import type { Stripe } from '@stripe/stripe-js';
import { loadStripe } from '@stripe/stripe-js/pure';
import { useId, useMemo, useState } from 'react';
import { formatPrice } from '@/lib/format';
import { usePay, type PaymentFormProps } from './use-pay';
import { ErrorList, Notice } from './ui';

function CardForm({ order, disabled, onPaid }: PaymentFormProps) {
  const stripe = useStripe();
  const elements = useElements();
  const { paying, error, setError, pay } = usePay({ order, onPaid });
  const labelId = useId();

  async function handleSubmit() {
    const card = elements?.getElement(CardElement);
    if (!stripe || !card) return;
    const result = await stripe.createToken(card);
    if (result.error) {
      setError(result.error.message ?? 'Your card could not be used.');
      return;
    }
    await pay(result.token.id);
  }

  return (
    <form
      aria-label="Payment"
      onSubmit={(e) => {
        e.preventDefault();
        void handleSubmit();
      }}
    >
      <Stack gap="4">
        <Text id={labelId} fontWeight="semibold">
          Card details
        </Text>
        <Box role="group" aria-labelledby={labelId} bg="white" borderWidth="1px" borderRadius="md" p="3">
          <CardElement options={{ hidePostalCode: false }} />
        </Box>
        {error ? <ErrorList messages={[error]} /> : null}
        <Button
          type="submit"
          colorPalette="teal"
          size="lg"
          loading={paying}
          loadingText="Paying"
          disabled={disabled || !stripe}
        >
          Pay {formatPrice(order.ticket.price)}
        </Button>
      </Stack>
    </form>
  );
}

export function StripeCardForm({ publishableKey, ...props }: PaymentFormProps & { publishableKey: string }) {
  const [unavailable, setUnavailable] = useState(false);
  // Stripe.js comes from js.stripe.com; if it cannot be fetched, say so instead of a dead form.
  const stripePromise = useMemo<Promise<Stripe | null>>(
    () =>
      loadStripe(publishableKey).catch(() => {
        setUnavailable(true);
        return null;
      }),
    [publishableKey],
  );
  if (unavailable) {
    return (
      <Notice status="error" title="Card payments are unavailable">
        The card form could not be loaded. Check your connection and reload the page.
      </Notice>
    );
  }
  return (
    <Elements stripe={stripePromise}>
      <CardForm {...props} />
    </Elements>
  );
}
