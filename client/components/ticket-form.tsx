'use client';

import { Button, HStack, Input, InputGroup, Stack, Textarea } from '@chakra-ui/react';
import NextLink from 'next/link';
import { useRouter } from 'next/navigation';
import { useRef, useState, type FormEvent } from 'react';
import { useSWRConfig } from 'swr';
import { ApiError, createTicket, keys, updateTicket, type Ticket, type TicketInput } from '@/lib/api';
import { parsePriceInput } from '@/lib/format';
import { ErrorList, FormField } from './ui';

type Fields = 'title' | 'price' | 'description' | 'imageUrl';
const FIELDS: readonly Fields[] = ['title', 'price', 'description', 'imageUrl'];

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function validate(values: Record<Fields, string>): { input?: TicketInput; errors: Partial<Record<Fields, string>> } {
  const errors: Partial<Record<Fields, string>> = {};
  const title = values.title.trim();
  if (title === '') errors.title = 'Enter a title';
  else if (title.length > 120) errors.title = 'Use at most 120 characters';
  const price = parsePriceInput(values.price);
  if ('error' in price) errors.price = price.error;
  const description = values.description.trim();
  if (description.length > 2000) errors.description = 'Use at most 2000 characters';
  const imageUrl = values.imageUrl.trim();
  if (imageUrl !== '' && !isHttpUrl(imageUrl))
    errors.imageUrl = 'Enter a web address starting with http:// or https://';
  if (Object.keys(errors).length > 0 || 'error' in price) return { errors };
  return {
    errors,
    input: { title, price: price.price, description, ...(imageUrl ? { imageUrl } : {}) },
  };
}

/** Sell (no `ticket`) or edit (prefilled from `ticket`). */
export function TicketForm({ ticket }: { ticket?: Ticket }) {
  const router = useRouter();
  const { mutate } = useSWRConfig();
  const [values, setValues] = useState<Record<Fields, string>>({
    title: ticket?.title ?? '',
    price: ticket ? ticket.price.toFixed(2) : '',
    description: ticket?.description ?? '',
    imageUrl: ticket?.imageUrl ?? '',
  });
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<Fields, string>>>({});
  const [generalErrors, setGeneralErrors] = useState<string[]>([]);
  const [submitting, setSubmitting] = useState(false);
  const form = useRef<HTMLFormElement>(null);

  function focusFirstError(errors: Partial<Record<Fields, string>>) {
    const first = FIELDS.find((f) => errors[f]);
    if (first) form.current?.querySelector<HTMLElement>(`[name="${first}"]`)?.focus();
  }

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const { input, errors } = validate(values);
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
        const byField = error.fieldErrors() as Partial<Record<Fields, string>>;
        setFieldErrors(byField);
        setGeneralErrors(error.generalErrors(FIELDS));
        focusFirstError(byField);
      } else {
        setGeneralErrors(['Something went wrong. Please try again.']);
      }
    }
  }

  const update = (field: Fields) => (event: { target: { value: string } }) =>
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
          <Input name="title" value={values.title} onChange={update('title')} maxLength={120} bg="white" />
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
            maxLength={2000}
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
