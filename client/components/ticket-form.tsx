'use client';

import { Button, HStack, Input, InputGroup, NativeSelect, SimpleGrid, Stack, Textarea } from '@chakra-ui/react';
import NextLink from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useSWRConfig } from 'swr';
import { ApiError, createTicket, keys, updateTicket, type Ticket } from '@/lib/api';
import { CATEGORY_LABELS, TICKET_CATEGORIES, ticketFieldLimits } from '@/lib/contracts-lite';
import { useHydrated } from '@/lib/hooks';
import {
  TICKET_FIELDS,
  ticketFormValues,
  type TicketField,
  type TicketFieldErrors,
  type TicketFormValues,
} from '@/lib/ticket-form-values';
import { FormField } from './form-field';
import { ErrorList } from './ui';

/**
 * The form's checks: the API's own schemas, and zod with them. Fetched once the
 * form is on screen rather than with the page, which it would make about 30 kB
 * (gzipped) heavier; by the time anyone submits they are long here.
 */
const loadChecks = () => import('@/lib/ticket-input');

/**
 * Sell (no `ticket`) or edit (prefilled from `ticket`).
 *
 * The event's date and time are the seller's own clock, which the server does
 * not know: the server render (and the hydration that must match it) leaves
 * that input empty, and it is filled in as soon as the browser has taken over
 * (unless the seller typed in it already). A client-side navigation to the
 * form renders it filled in at once.
 */
export function TicketForm({ ticket }: { ticket?: Ticket }) {
  const router = useRouter();
  const { mutate } = useSWRConfig();
  const hydrated = useHydrated();
  // Only a ticket with a date has anything to fill in once the browser's clock is known.
  const [clockKnown, setClockKnown] = useState(hydrated || !ticket?.eventDate);
  const [original, setOriginal] = useState<TicketFormValues>(() => {
    const values = ticketFormValues(ticket);
    return hydrated ? values : { ...values, eventDate: '' };
  });
  const [values, setValues] = useState<TicketFormValues>(original);
  if (hydrated && !clockKnown) {
    // Adjusting state to what only the browser knows, during render: no effect, no remount.
    const eventDate = ticketFormValues(ticket).eventDate;
    setClockKnown(true);
    setOriginal((o) => ({ ...o, eventDate }));
    setValues((v) => (v.eventDate === '' ? { ...v, eventDate } : v));
  }
  const [fieldErrors, setFieldErrors] = useState<TicketFieldErrors>({});
  const [generalErrors, setGeneralErrors] = useState<string[]>([]);
  const [submitting, setSubmitting] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    // Fetch the checks now; a failure here surfaces (and is retried) on submit.
    loadChecks().catch(() => undefined);
  }, []);

  function focusFirstError(errors: TicketFieldErrors) {
    const first = TICKET_FIELDS.find((f) => errors[f]);
    if (first) form.current?.querySelector<HTMLElement>(`[name="${first}"]`)?.focus();
  }

  async function save(): Promise<Ticket | TicketFieldErrors> {
    const { validateTicketForm } = await loadChecks();
    if (ticket) {
      const { input, errors } = validateTicketForm(values, { original });
      return input ? updateTicket(ticket.id, input) : errors;
    }
    const { input, errors } = validateTicketForm(values);
    return input ? createTicket(input) : errors;
  }

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setFieldErrors({});
    setGeneralErrors([]);
    setSubmitting(true);
    try {
      const saved = await save();
      if (!('id' in saved)) {
        setSubmitting(false);
        setFieldErrors(saved);
        focusFirstError(saved);
        return;
      }
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

  // Required to sell; when editing, only what the ticket already has (one listed before
  // tickets had event details may stay without them).
  const requires = (field: 'eventDate' | 'venue' | 'city' | 'category') => !ticket || ticket[field] !== null;

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
      <Stack gap="5" maxW="2xl">
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
        <SimpleGrid columns={{ base: 1, sm: 2 }} gap="5">
          <FormField
            label="Event date and time"
            error={fieldErrors.eventDate}
            required={requires('eventDate')}
            helper="When the event starts, in your own time zone"
          >
            <Input
              name="eventDate"
              type="datetime-local"
              value={values.eventDate}
              onChange={update('eventDate')}
              bg="white"
              minW="0"
            />
          </FormField>
          <FormField label="Category" error={fieldErrors.category} required={requires('category')}>
            <NativeSelect.Root invalid={Boolean(fieldErrors.category)}>
              <NativeSelect.Field name="category" value={values.category} onChange={update('category')} bg="white">
                <option value="">Choose a category</option>
                {TICKET_CATEGORIES.map((c) => (
                  <option key={c} value={c}>
                    {CATEGORY_LABELS[c]}
                  </option>
                ))}
              </NativeSelect.Field>
              <NativeSelect.Indicator />
            </NativeSelect.Root>
          </FormField>
          <FormField label="Venue" error={fieldErrors.venue} required={requires('venue')}>
            <Input
              name="venue"
              value={values.venue}
              onChange={update('venue')}
              maxLength={ticketFieldLimits.venue}
              autoComplete="off"
              bg="white"
            />
          </FormField>
          <FormField label="City" error={fieldErrors.city} required={requires('city')}>
            <Input
              name="city"
              value={values.city}
              onChange={update('city')}
              maxLength={ticketFieldLimits.city}
              autoComplete="address-level2"
              bg="white"
            />
          </FormField>
        </SimpleGrid>
        <FormField label="Price (USD)" error={fieldErrors.price} required helper="Up to two decimals, e.g. 19.99">
          <InputGroup startElement="$">
            <Input
              name="price"
              inputMode="decimal"
              autoComplete="off"
              value={values.price}
              onChange={update('price')}
              onBlur={() => {
                const typed = values.price;
                void loadChecks().then(
                  ({ parsePriceInput }) => {
                    const parsed = parsePriceInput(typed);
                    // Written as 19.99, unless the seller has typed on since.
                    if ('price' in parsed)
                      setValues((v) => (v.price === typed ? { ...v, price: parsed.price.toFixed(2) } : v));
                  },
                  () => undefined, // Only cosmetic; submitting checks the price again.
                );
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
