'use client';

import { Button, HStack, Input, InputGroup, Stack, Textarea } from '@chakra-ui/react';
import { ticketFieldLimits } from '@gittix/common/contracts';
import NextLink from 'next/link';
import { useRouter } from 'next/navigation';
import { useRef, useState, type FormEvent } from 'react';
import { useSWRConfig } from 'swr';
import { ApiError, createTicket, keys, updateTicket, type Ticket } from '@/lib/api';
import {
  parsePriceInput,
  TICKET_FIELDS,
  validateTicketForm,
  type TicketField,
  type TicketFieldErrors,
  type TicketFormValues,
} from '@/lib/ticket-input';
import { ErrorList, FormField } from './ui';

/** Sell (no `ticket`) or edit (prefilled from `ticket`). */
export function TicketForm({ ticket }: { ticket?: Ticket }) {
  const router = useRouter();
  const { mutate } = useSWRConfig();
  const [values, setValues] = useState<TicketFormValues>({
    title: ticket?.title ?? '',
    price: ticket ? ticket.price.toFixed(2) : '',
    description: ticket?.description ?? '',
    imageUrl: ticket?.imageUrl ?? '',
  });
  const [fieldErrors, setFieldErrors] = useState<TicketFieldErrors>({});
  const [generalErrors, setGeneralErrors] = useState<string[]>([]);
  const [submitting, setSubmitting] = useState(false);
  const form = useRef<HTMLFormElement>(null);

  function focusFirstError(errors: TicketFieldErrors) {
    const first = TICKET_FIELDS.find((f) => errors[f]);
    if (first) form.current?.querySelector<HTMLElement>(`[name="${first}"]`)?.focus();
  }

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const { input, errors } = validateTicketForm(values, { editing: ticket !== undefined });
    setFieldErrors(errors);
    setGeneralErrors([]);
    if (!input) {
      focusFirstError(errors);
      return;
    }
    setSubmitting(true);
    try {
      const saved = ticket ? await updateTicket(ticket.id, input) : await createTicket(input);
      await mutate(keys.ticket(saved.id), saved, { revalidate: false });
      router.push(`/tickets/${saved.id}`);
    } catch (error) {
      setSubmitting(false);
      if (error instanceof ApiError) {
        const byField = error.fieldErrors() as TicketFieldErrors;
        setFieldErrors(byField);
        setGeneralErrors(error.generalErrors(TICKET_FIELDS));
        focusFirstError(byField);
      } else {
        setGeneralErrors(['Something went wrong. Please try again.']);
      }
    }
  }

  const update = (field: TicketField) => (event: { target: { value: string } }) =>
    setValues((v) => ({ ...v, [field]: event.target.value }));

  return (
    <form
      ref={form}
      method="post"
      onSubmit={(e) => void handleSubmit(e)}
      noValidate
      aria-label={ticket ? 'Edit ticket' : 'Sell a ticket'}
    >
      <Stack gap="5" maxW="xl">
        <ErrorList messages={generalErrors} />
        <FormField
          label="Title"
          error={fieldErrors.title}
          required
          helper="What is the ticket for? E.g. “Concert, Row 5, Seat 12”"
        >
          <Input
            name="title"
            value={values.title}
            onChange={update('title')}
            maxLength={ticketFieldLimits.title}
            bg="white"
          />
        </FormField>
        <FormField label="Price (USD)" error={fieldErrors.price} required helper="Up to two decimals, e.g. 19.99">
          <InputGroup startElement="$">
            <Input
              name="price"
              inputMode="decimal"
              autoComplete="off"
              value={values.price}
              onChange={update('price')}
              onBlur={() => {
                const parsed = parsePriceInput(values.price);
                if ('price' in parsed) setValues((v) => ({ ...v, price: parsed.price.toFixed(2) }));
              }}
              bg="white"
            />
          </InputGroup>
        </FormField>
        <FormField label="Description" error={fieldErrors.description} helper="Optional">
          <Textarea
            name="description"
            value={values.description}
            onChange={update('description')}
            maxLength={ticketFieldLimits.description}
            rows={5}
            bg="white"
          />
        </FormField>
        <FormField
          label="Image URL"
          error={fieldErrors.imageUrl}
          helper="Optional: a picture of the ticket or the event"
        >
          <Input
            name="imageUrl"
            type="url"
            inputMode="url"
            placeholder="https://"
            value={values.imageUrl}
            onChange={update('imageUrl')}
            maxLength={ticketFieldLimits.imageUrl}
            bg="white"
          />
        </FormField>
        <HStack gap="3" wrap="wrap">
          <Button type="submit" colorPalette="teal" loading={submitting} loadingText="Saving">
            {ticket ? 'Save changes' : 'List ticket'}
          </Button>
          <Button asChild variant="ghost">
            <NextLink href={ticket ? `/tickets/${ticket.id}` : '/'}>Cancel</NextLink>
          </Button>
        </HStack>
      </Stack>
    </form>
  );
}
