'use client';

import { Box, Button, SimpleGrid, Stack } from '@chakra-ui/react';
import { useState, type KeyboardEvent, type ReactNode } from 'react';
import type { TicketFilters } from '@/lib/api';
import { CATEGORY_LABELS, SORT_LABELS, TICKET_CATEGORIES, TICKET_SORTS } from '@/lib/contracts-lite';
import { boundDay, dayBound } from '@/lib/local-time';
import { matchCity, sortOf, type SearchField, type SearchState } from '@/lib/search';
import { PlainField, PlainInput, PlainSelect } from './plain-field';

/** Changes the page's URL: `push` for a choice (Back undoes it), `replace` for typing. */
export type SearchUpdate = (changes: Partial<SearchState>, how: 'push' | 'replace') => void;
export type SearchErrors = Partial<Record<SearchField, string>>;

/**
 * An input's own value while the buyer edits it, following the URL when the
 * URL changes from elsewhere (Back, "Clear filters"). `written(value)` marks
 * a value this input is about to put in the URL itself, so that its arrival
 * does not overwrite what was typed since.
 */
export function useUrlBackedValue(urlValue: string) {
  const [value, setValue] = useState(urlValue);
  const [synced, setSynced] = useState(urlValue);
  if (urlValue !== synced) {
    setSynced(urlValue);
    setValue(urlValue);
  }
  return { value, setValue, written: setSynced };
}

function ChoiceField({
  field,
  label,
  urlValue,
  options,
  errors,
  update,
}: {
  field: SearchField;
  label: string;
  urlValue: string;
  options: { value: string; label: string }[];
  errors: SearchErrors;
  update: SearchUpdate;
}) {
  const { value, setValue, written } = useUrlBackedValue(urlValue);
  return (
    <PlainField label={label} error={errors[field]}>
      {(ids) => (
        <PlainSelect
          {...ids}
          name={field}
          value={value}
          onChange={(e) => {
            const next = e.target.value;
            setValue(next);
            written(next);
            update({ [field]: next }, 'push');
          }}
        >
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </PlainSelect>
      )}
    </PlainField>
  );
}

/** A date of the range, as the buyer's own day: the URL holds its first or last millisecond with the buyer's offset. */
function DayField({
  field,
  label,
  search,
  errors,
  update,
}: {
  field: 'from' | 'to';
  label: string;
  search: SearchState;
  errors: SearchErrors;
  update: SearchUpdate;
}) {
  // A value the API cannot read shows as an empty input, with the API's message under it.
  const { value, setValue, written } = useUrlBackedValue(boundDay(search[field]));
  return (
    <PlainField label={label} error={errors[field]}>
      {(ids) => (
        <PlainInput
          {...ids}
          type="date"
          name={field}
          value={value}
          onChange={(e) => {
            const day = e.target.value;
            setValue(day);
            const bound = day === '' ? '' : dayBound(day, field === 'from' ? 'start' : 'end');
            if (bound === null) return; // not a whole date yet
            written(day);
            update({ [field]: bound }, 'push');
          }}
          px="2"
        />
      )}
    </PlainField>
  );
}

/** A bound of the price range: sent when the buyer leaves the field or presses Enter. */
function PriceField({
  field,
  label,
  urlValue,
  errors,
  update,
}: {
  field: 'minPrice' | 'maxPrice';
  label: string;
  urlValue: string;
  errors: SearchErrors;
  update: SearchUpdate;
}) {
  const { value, setValue, written } = useUrlBackedValue(urlValue);
  const commit = () => {
    const amount = value.trim().replace(/^\$\s*/, '');
    written(amount);
    setValue(amount);
    update({ [field]: amount }, 'push');
  };
  return (
    <PlainField label={label} error={errors[field]}>
      {(ids) => (
        <PlainInput
          {...ids}
          name={field}
          inputMode="decimal"
          autoComplete="off"
          placeholder="$"
          value={value}
          onChange={(e) => setValue(e.target.value)}
          onBlur={commit}
          onKeyDown={(e: KeyboardEvent<HTMLInputElement>) => {
            if (e.key === 'Enter') commit();
          }}
        />
      )}
    </PlainField>
  );
}

function Group({
  legend,
  stackInSidebar = false,
  children,
}: {
  legend: string;
  /** One above the other in the desktop sidebar (a date input needs more room than half of it). */
  stackInSidebar?: boolean;
  children: ReactNode;
}) {
  return (
    <Box as="fieldset" minW="0">
      <Box as="legend" fontWeight="semibold" fontSize="sm" mb="1">
        {legend}
      </Box>
      <SimpleGrid columns={stackInSidebar ? { base: 2, lg: 1 } : 2} gap="3">
        {children}
      </SimpleGrid>
    </Box>
  );
}

/** The sort and the filters of the search; every control writes the URL. */
export function SearchFilters({
  search,
  filters,
  errors,
  update,
  footer,
}: {
  search: SearchState;
  filters: TicketFilters | null;
  errors: SearchErrors;
  update: SearchUpdate;
  footer?: ReactNode;
}) {
  const cities = filters?.cities ?? [];
  const city = matchCity(
    search.city,
    cities.map((c) => c.city),
  );
  const cityOptions = [
    { value: '', label: 'Any city' },
    ...cities.map((c) => ({ value: c.city, label: `${c.city} (${c.count})` })),
    // A city with nothing listed right now (a shared link from last month) is still the one asked for.
    ...(city !== '' && !cities.some((c) => c.city === city) ? [{ value: city, label: city }] : []),
  ];
  const categoryCounts = new Map((filters?.categories ?? []).map((c) => [c.category, c.count]));
  const categoryOptions = [
    { value: '', label: 'Any category' },
    ...TICKET_CATEGORIES.map((c) => ({
      value: c,
      label: categoryCounts.has(c) ? `${CATEGORY_LABELS[c]} (${categoryCounts.get(c)})` : CATEGORY_LABELS[c],
    })),
    ...(search.category !== '' && !(TICKET_CATEGORIES as string[]).includes(search.category)
      ? [{ value: search.category, label: search.category }]
      : []),
  ];
  const sortValue = errors.sort ? search.sort : sortOf(search);
  const sortOptions = [
    ...TICKET_SORTS.map((s) => ({ value: s, label: SORT_LABELS[s] })),
    ...(errors.sort ? [{ value: search.sort, label: search.sort }] : []),
  ];

  return (
    <Stack gap="4">
      <ChoiceField
        field="sort"
        label="Sort by"
        urlValue={sortValue}
        options={sortOptions}
        errors={errors}
        update={update}
      />
      <ChoiceField field="city" label="City" urlValue={city} options={cityOptions} errors={errors} update={update} />
      <ChoiceField
        field="category"
        label="Category"
        urlValue={search.category}
        options={categoryOptions}
        errors={errors}
        update={update}
      />
      <Group legend="Event date" stackInSidebar>
        <DayField field="from" label="From" search={search} errors={errors} update={update} />
        <DayField field="to" label="To" search={search} errors={errors} update={update} />
      </Group>
      <Group legend="Price (USD)">
        <PriceField field="minPrice" label="Min" urlValue={search.minPrice} errors={errors} update={update} />
        <PriceField field="maxPrice" label="Max" urlValue={search.maxPrice} errors={errors} update={update} />
      </Group>
      {footer}
    </Stack>
  );
}

/** "Clear filters": every filter goes, the sort stays. */
export function ClearFiltersButton({ onClick, size = 'sm' }: { onClick: () => void; size?: 'sm' | 'md' }) {
  return (
    <Button variant="outline" colorPalette="teal" size={size} onClick={onClick} alignSelf="start">
      Clear filters
    </Button>
  );
}
