'use client';

import { Box, Button, Stack, Text } from '@chakra-ui/react';
import { CardElement, Elements, useElements, useStripe } from '@stripe/react-stripe-js';
// The `pure` entry does not inject Stripe.js on import; `loadStripe` below does, on demand.
import type { Stripe } from '@stripe/stripe-js';
import { loadStripe } from '@stripe/stripe-js/pure';
import { useId, useMemo } from 'react';
import { formatPrice } from '@/lib/format';
import { usePay, type PaymentFormProps } from './use-pay';
import { ErrorList } from './ui';

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
  const stripePromise = useMemo<Promise<Stripe | null>>(() => loadStripe(publishableKey), [publishableKey]);
  return (
    <Elements stripe={stripePromise}>
      <CardForm {...props} />
    </Elements>
  );
}
