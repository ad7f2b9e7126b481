'use client';

import { Box, Button, Grid, HStack, Stack, Text } from '@chakra-ui/react';
import NextLink from 'next/link';
import { useSearchParams } from 'next/navigation';
import { useCallback, useEffect, useRef, useState } from 'react';
import useSWR from 'swr';
import { fetchTicketFilters, keys, type FieldError, type TicketFilters, type TicketPage } from '@/lib/api';
import { formatTicketCount } from '@/lib/format';
import { useCurrentUser } from '@/lib/hooks';
import {
  FIELD_LABELS,
  hasFilters,
  isSearchField,
  listingPath,
  searchErrorMessage,
  panelFilterCount,
  readSearch,
  searchHref,
  withChanges,
  withoutFilters,
  type SearchState,
} from '@/lib/search';
import {
  ClearFiltersButton,
  SearchFilters,
  useUrlBackedValue,
  type SearchErrors,
  type SearchUpdate,
} from './search-filters';
import { TicketCardSkeletons, TicketsEmpty } from './list-states';
import { PlainField, PlainInput } from './plain-field';
import { TicketGrid, useTicketPages } from './ticket-list';
import { ErrorList, Notice, Page } from './ui';

/** What the server render found for its URL: the first page, or the API's refusal of the search (400). */
export interface InitialListing {
  /** The listing path (`listingPath`) these are the answer to. */
  key: string;
  page: TicketPage | null;
  refused: FieldError[] | null;
}

const RESULT_COLUMNS = { base: 1, sm: 2, lg: 2, xl: 3 } as const;
/** How long the search text waits for the buyer to stop typing. */
const TYPING_PAUSE_MS = 300;

/**
 * The page's URL from here on: the native History API, which the App Router
 * follows (`useSearchParams` sees it; Back and Forward restore it), with no
 * server round trip: the results come from the API through SWR.
 */
const updateUrl: SearchUpdate = (changes, how) => {
  const current = readSearch(new URLSearchParams(window.location.search));
  const next = searchHref(withChanges(current, changes));
  if (next === searchHref(current) && window.location.pathname === '/') return;
  if (how === 'push') window.history.pushState(null, '', next);
  else window.history.replaceState(null, '', next);
};

function SearchBox({ q, error }: { q: string; error: string | undefined }) {
  const { value, setValue, written } = useUrlBackedValue(q);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  const send = (text: string) => {
    clearTimeout(timer.current);
    const words = text.trim();
    written(words);
    updateUrl({ q: words }, 'replace');
  };

  return (
    // Without JavaScript this is a plain GET form of the home page, which the server renders.
    <form
      role="search"
      aria-label="Tickets"
      action="/"
      method="get"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        send(value);
      }}
    >
      <PlainField label="Search tickets" hideLabel error={error}>
        {(ids) => (
          <HStack gap="2" width="full">
            <PlainInput
              {...ids}
              type="search"
              name="q"
              size="lg"
              value={value}
              onChange={(e) => {
                const text = e.target.value;
                setValue(text);
                clearTimeout(timer.current);
                timer.current = setTimeout(() => send(text), TYPING_PAUSE_MS);
              }}
              placeholder="Search by event, venue or city"
              autoComplete="off"
              enterKeyHint="search"
            />
            <Button type="submit" colorPalette="teal" size="lg" flexShrink={0}>
              Search
            </Button>
          </HStack>
        )}
      </PlainField>
    </form>
  );
}

function RefusedSearch({
  refused,
  onRemove,
  onClear,
}: {
  refused: FieldError[];
  onRemove: (field: keyof SearchState) => void;
  onClear: () => void;
}) {
  return (
    <Notice status="warning" title="This search link cannot be used as it is">
      <Stack gap="3" mt="1">
        <Box as="ul" listStyleType="none" display="grid" gap="2">
          {refused.map((entry) => {
            const field = entry.field !== undefined && isSearchField(entry.field) ? entry.field : null;
            return (
              <HStack as="li" key={`${entry.field ?? ''}:${entry.message}`} gap="3" wrap="wrap">
                <Text>{field ? searchErrorMessage(field, entry.message) : entry.message}</Text>
                {field ? (
                  <Button size="xs" variant="outline" colorPalette="orange" onClick={() => onRemove(field)}>
                    Remove {FIELD_LABELS[field].toLowerCase()}
                  </Button>
                ) : null}
              </HStack>
            );
          })}
        </Box>
        <ClearFiltersButton onClick={onClear} />
      </Stack>
    </Notice>
  );
}

export function HomeView({
  initial,
  initialFilters,
}: {
  initial: InitialListing;
  initialFilters: TicketFilters | null;
}) {
  const params = useSearchParams();
  const search = readSearch(params);
  const key = listingPath(search);
  // The server's answer belongs to its own URL only; another search starts from the previous results.
  const own = initial.key === key ? initial : null;
  const pages = useTicketPages(key, own?.page ?? null, true);
  const { data: filters } = useSWR<TicketFilters>(keys.ticketFilters, () => fetchTicketFilters(), {
    fallbackData: initialFilters ?? undefined,
  });
  const { data: user } = useCurrentUser();

  const refused: FieldError[] | null =
    pages.error?.status === 400 ? pages.error.errors : !pages.error && pages.isLoading ? (own?.refused ?? null) : null;
  const errors: SearchErrors = {};
  for (const entry of refused ?? [])
    if (entry.field && isSearchField(entry.field))
      errors[entry.field] ??= searchErrorMessage(entry.field, entry.message);
  const panelErrors = Object.keys(errors).some((f) => f !== 'q');
  const [filtersOpen, setFiltersOpen] = useState(panelErrors);
  const filtering = hasFilters(search);
  const panelCount = panelFilterCount(search) + (search.sort ? 1 : 0);

  const clear = useCallback(
    () => updateUrl(withoutFilters(readSearch(new URLSearchParams(window.location.search))), 'push'),
    [],
  );
  const remove = useCallback((field: keyof SearchState) => updateUrl({ [field]: '' }, 'push'), []);

  let status = '';
  if (refused) status = '';
  else if (!pages.data || pages.showingPrevious) status = pages.error ? '' : 'Searching…';
  else if (pages.total) status = formatTicketCount(pages.total);

  let results;
  if (refused) {
    results = <RefusedSearch refused={refused} onRemove={remove} onClear={clear} />;
  } else if (!pages.data) {
    results = pages.error ? (
      <ErrorList messages={[pages.error.message]} />
    ) : (
      <TicketCardSkeletons columns={RESULT_COLUMNS} />
    );
  } else if (pages.tickets.length === 0 && !pages.showingPrevious) {
    results = filtering ? (
      <TicketsEmpty
        title="No tickets match your search"
        description="Try other words, another date or fewer filters."
        action={<ClearFiltersButton onClick={clear} size="md" />}
      />
    ) : (
      <TicketsEmpty
        title="No tickets for sale right now"
        description="When someone lists a ticket, it shows up here."
        action={
          <Button asChild colorPalette="teal">
            <NextLink href={user ? '/tickets/new' : '/auth/signup'}>
              {user ? 'Sell a ticket' : 'Sign up to sell a ticket'}
            </NextLink>
          </Button>
        }
      />
    );
  } else {
    results = (
      <Box
        opacity={pages.showingPrevious ? 0.55 : 1}
        transition="opacity 0.15s"
        aria-busy={pages.showingPrevious || undefined}
        data-testid="results"
      >
        <TicketGrid pages={pages} columns={RESULT_COLUMNS} />
      </Box>
    );
  }

  return (
    <Page title="Tickets for sale">
      <SearchBox q={search.q} error={errors.q} />
      <Grid templateColumns={{ base: 'minmax(0, 1fr)', lg: '15rem minmax(0, 1fr)' }} gap="6" alignItems="start">
        <Box as="section" aria-label="Filters and sort">
          <Button
            hideFrom="lg"
            variant="outline"
            width="full"
            justifyContent="space-between"
            bg="white"
            onClick={() => setFiltersOpen((open) => !open)}
            aria-expanded={filtersOpen}
            aria-controls="search-filters"
          >
            <span>Filters and sort{panelCount > 0 ? ` (${panelCount})` : ''}</span>
            <span aria-hidden="true">{filtersOpen ? '▴' : '▾'}</span>
          </Button>
          <Box
            id="search-filters"
            display={{ base: filtersOpen ? 'block' : 'none', lg: 'block' }}
            mt={{ base: '4', lg: '0' }}
            p={{ base: '4', lg: '0' }}
            bg={{ base: 'white', lg: 'transparent' }}
            borderWidth={{ base: '1px', lg: '0' }}
            borderRadius="lg"
          >
            <SearchFilters
              search={search}
              filters={filters ?? null}
              errors={errors}
              update={updateUrl}
              footer={filtering ? <ClearFiltersButton onClick={clear} /> : null}
            />
          </Box>
        </Box>
        <Box as="section" aria-label="Results" minW="0">
          <Stack gap="4">
            <Text
              role="status"
              fontWeight="medium"
              color="gray.700"
              minH={{ base: status ? '6' : '0', lg: '8' }}
              display="flex"
              alignItems="center"
              data-testid="result-count"
            >
              {status}
            </Text>
            {results}
          </Stack>
        </Box>
      </Grid>
    </Page>
  );
}
