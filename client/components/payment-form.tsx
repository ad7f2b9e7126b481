'use client';

import { Button, Stack, Text } from '@chakra-ui/react';
import dynamic from 'next/dynamic';
import { useState } from 'react';
import { formatPrice } from '@/lib/format';
import { stripePublishableKey } from '@/lib/public-env';
import { PlainRadioGroup } from './plain-radio-group';
import { ErrorList } from './ui';
import { usePay, type PaymentFormProps } from './use-pay';

const TEST_CARDS = [
  { value: 'tok_visa', label: 'Visa — succeeds' },
  { value: 'tok_chargeDeclined', label: 'Declined' },
] as const;

/** Without a Stripe publishable key (local runs, tests): Stripe's test tokens through the same payments route. */
function TestCardForm({ order, disabled, onPaid }: PaymentFormProps) {
  const [token, setToken] = useState<(typeof TEST_CARDS)[number]['value']>(TEST_CARDS[0].value);
  const { paying, error, pay } = usePay({ order, onPaid });

  return (
    <form
      aria-label="Payment"
      onSubmit={(e) => {
        e.preventDefault();
        void pay(token);
      }}
    >
      <Stack gap="4">
        <PlainRadioGroup
          label="Test card"
          name="test-card"
          value={token}
          options={TEST_CARDS}
          onChange={setToken}
          colorPalette="teal"
          disabled={disabled || paying}
        />
        <Text fontSize="sm" color="gray.600">
          This GitTix runs without a Stripe account: choose how Stripe&apos;s test card should behave.
        </Text>
        {error ? <ErrorList messages={[error]} /> : null}
        <Button type="submit" colorPalette="teal" size="lg" loading={paying} loadingText="Paying" disabled={disabled}>
          Pay {formatPrice(order.ticket.price)}
        </Button>
      </Stack>
    </form>
  );
}

// Stripe.js is fetched from js.stripe.com: load its code only when a publishable key is configured.
const StripeCardForm = dynamic(() => import('./stripe-card-form').then((m) => m.StripeCardForm), {
  ssr: false,
  loading: () => <Text color="gray.600">Loading the card form…</Text>,
});

export function PaymentForm(props: PaymentFormProps) {
  return stripePublishableKey ? (
    <StripeCardForm {...props} publishableKey={stripePublishableKey} />
  ) : (
    <TestCardForm {...props} />
  );
}
