/**
 * The home page's search, as pure functions: the page's URL ↔ what the
 * controls show ↔ the API request. The URL is the only state: it is what a
 * buyer shares, what Back returns to, and what the server renders from.
 *
 * The URL carries the API's own parameters, unchanged (`?q=jazz&city=Berlin
 * &from=2027-06-05T00:00:00.000+02:00`), in the contracts' order
 * (`ticketSearchParams`), so the listing's request is the page's query string
 * and the API validates both: a value it refuses comes back as a 400 naming
 * the parameter, which the page shows next to it (nothing here parses dates
 * or amounts beyond what the inputs need).
 */
import { cityKey, DEFAULT_SORT, TICKET_SORTS, type TicketSort } from './contracts-lite';
import type { TicketSearch } from '@gittix/common/contracts';

/** The search parameters, as the page's URL and the API spell them; every value a string, '' for none. */
export type SearchField = keyof TicketSearch;
export type SearchState = Record<SearchField, string>;

/** Every name, in the order the URL is written (`ticketSearchParams`); the record's type keeps it complete. */
const FIELD_ORDER: Record<SearchField, number> = {
  q: 0,
  city: 1,
  category: 2,
  from: 3,
  to: 4,
  minPrice: 5,
  maxPrice: 6,
  sort: 7,
};
export const SEARCH_FIELDS = (Object.keys(FIELD_ORDER) as SearchField[]).sort(
  (a, b) => FIELD_ORDER[a] - FIELD_ORDER[b],
);

/** The parameters that narrow the results (all but the sort). */
export const FILTER_FIELDS: readonly SearchField[] = SEARCH_FIELDS.filter((f) => f !== 'sort');

/** What each parameter is called on the page (in messages about an invalid one). */
export const FIELD_LABELS: Readonly<Record<SearchField, string>> = {
  q: 'Search',
  city: 'City',
  category: 'Category',
  from: 'From date',
  to: 'To date',
  minPrice: 'Min price',
  maxPrice: 'Max price',
  sort: 'Sort',
};

export const EMPTY_SEARCH: SearchState = {
  q: '',
  city: '',
  category: '',
  from: '',
  to: '',
  minPrice: '',
  maxPrice: '',
  sort: '',
};

export function isSearchField(name: string): name is SearchField {
  return Object.hasOwn(FIELD_ORDER, name);
}

/** What a query-string reader yields: URLSearchParams, or a server page's `searchParams` record. */
type ParamSource = { get(name: string): string | null } | Record<string, string | string[] | undefined>;

function firstValue(source: ParamSource, name: string): string {
  if (typeof source.get === 'function') return (source as { get(name: string): string | null }).get(name) ?? '';
  const value = (source as Record<string, string | string[] | undefined>)[name];
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

/**
 * The search a URL holds. Only the search's own parameters count, the first
 * value of each (`?q=a&q=b` is `q=a`: the API takes one of each). Values are
 * kept as written, apart from the search text's surrounding spaces and the
 * default sort (which is no sort): a value the API refuses is still shown to
 * the buyer, with the API's reason.
 */
export function readSearch(source: ParamSource): SearchState {
  const state = { ...EMPTY_SEARCH };
  for (const field of SEARCH_FIELDS) state[field] = firstValue(source, field);
  state.q = state.q.trim();
  if (state.sort === DEFAULT_SORT) state.sort = '';
  return state;
}

/** The query string of a search (no `?`), in the canonical order, without empty values or the default sort. */
export function searchQuery(state: SearchState): string {
  const params = new URLSearchParams();
  for (const field of SEARCH_FIELDS) {
    const value = field === 'q' ? state.q.trim() : state[field];
    if (value !== '' && !(field === 'sort' && value === DEFAULT_SORT)) params.set(field, value);
  }
  return params.toString();
}

/** The home page's URL for a search: `/` when there is none. */
export function searchHref(state: SearchState): string {
  const query = searchQuery(state);
  return query ? `/?${query}` : '/';
}

/** The first page of the listing for a search (the API's default page size), also its SWR key. */
export function listingPath(state: SearchState): string {
  const query = searchQuery(state);
  return query ? `/api/tickets?${query}` : '/api/tickets';
}

/** True when anything narrows the results (a sort alone does not). */
export function hasFilters(state: SearchState): boolean {
  return FILTER_FIELDS.some((field) => state[field] !== '');
}

/** How many filters the filter panel holds (the search text is not in it; a date or price range counts once). */
export function panelFilterCount(state: SearchState): number {
  return [state.city, state.category, state.from || state.to, state.minPrice || state.maxPrice].filter(Boolean).length;
}

/** The search with `changes` applied. */
export function withChanges(state: SearchState, changes: Partial<SearchState>): SearchState {
  return { ...state, ...changes };
}

/** No filters left; a sort the app knows stays (it is a way of looking, not a filter). */
export function withoutFilters(state: SearchState): SearchState {
  return { ...EMPTY_SEARCH, sort: (TICKET_SORTS as readonly string[]).includes(state.sort) ? state.sort : '' };
}

/** The sort a URL asks for, when it is one the app knows (an unknown one is reported by the API). */
export function sortOf(state: SearchState): TicketSort {
  return (TICKET_SORTS as readonly string[]).includes(state.sort) ? (state.sort as TicketSort) : DEFAULT_SORT;
}

/**
 * The city of the filter list that the URL's `city` names (the filter is
 * case-insensitive: `?city=berlin` is "Berlin"), or the URL's own value when
 * no listed ticket is in that city right now.
 */
export function matchCity(urlCity: string, listed: readonly string[]): string {
  if (urlCity === '') return '';
  const key = cityKey(urlCity);
  return listed.find((city) => cityKey(city) === key) ?? urlCity;
}

/**
 * The API's reason for refusing a parameter, in the page's words: its
 * messages start with the parameter's name (`minPrice must be an amount like
 * 25 or 19.99`), which becomes the control's label (`Min price must be …`).
 */
export function searchErrorMessage(field: SearchField, message: string): string {
  if (!message.startsWith(`${field} `)) return message;
  const rest = message
    .slice(field.length + 1)
    .replace(/\b(minPrice|maxPrice)\b/g, (name) => FIELD_LABELS[name as SearchField].toLowerCase())
    .replace(/\bfrom$/, FIELD_LABELS.from.toLowerCase());
  return `${FIELD_LABELS[field]} ${rest}`;
}
