import { ticketSearchParams, ticketSearchSchema } from '@gittix/common/contracts';
import {
  EMPTY_SEARCH,
  SEARCH_FIELDS,
  hasFilters,
  isSearchField,
  listingPath,
  matchCity,
  panelFilterCount,
  readSearch,
  searchErrorMessage,
  searchHref,
  searchQuery,
  sortOf,
  withChanges,
  withoutFilters,
  type SearchState,
} from '../lib/search';

const search = (changes: Partial<SearchState>): SearchState => ({ ...EMPTY_SEARCH, ...changes });

const saturday: SearchState = search({
  q: 'jazz trio',
  city: 'Berlin',
  category: 'concert',
  from: '2027-06-05T00:00:00.000+02:00',
  to: '2027-06-05T23:59:59.999+02:00',
  minPrice: '10',
  maxPrice: '49.99',
  sort: 'soonest',
});

describe('the search parameters', () => {
  it("are the API's, in the contracts' order", () => {
    expect(SEARCH_FIELDS).toEqual(ticketSearchParams);
    for (const name of ticketSearchParams) expect(isSearchField(name)).toBe(true);
    for (const name of ['limit', 'cursor', 'userId', 'toString', '']) expect(isSearchField(name)).toBe(false);
  });
});

describe('readSearch', () => {
  it('reads every parameter of the URL', () => {
    const params = new URLSearchParams(searchQuery(saturday));
    expect(readSearch(params)).toEqual(saturday);
  });

  it("reads a server page's searchParams record the same way, the first of repeated values", () => {
    expect(readSearch({ q: ['jazz', 'rock'], city: 'Berlin', sort: undefined })).toEqual(
      search({ q: 'jazz', city: 'Berlin' }),
    );
    expect(readSearch(new URLSearchParams('q=jazz&q=rock&city=Berlin'))).toEqual(search({ q: 'jazz', city: 'Berlin' }));
  });

  it('ignores parameters that are not the search, and trims the search text', () => {
    expect(readSearch(new URLSearchParams('utm_source=mail&limit=5&cursor=abc&q=%20%20jazz%20&get=1'))).toEqual(
      search({ q: 'jazz' }),
    );
  });

  it('treats the default sort as none, and keeps values the API will refuse, for it to say why', () => {
    expect(readSearch(new URLSearchParams('sort=newest'))).toEqual(EMPTY_SEARCH);
    expect(readSearch(new URLSearchParams('sort=cheapest&from=soon&minPrice=abc'))).toEqual(
      search({ sort: 'cheapest', from: 'soon', minPrice: 'abc' }),
    );
  });
});

describe('searchQuery, searchHref and listingPath', () => {
  it('write the parameters in order, without empty ones', () => {
    expect(searchQuery(saturday)).toBe(
      'q=jazz+trio&city=Berlin&category=concert&from=2027-06-05T00%3A00%3A00.000%2B02%3A00' +
        '&to=2027-06-05T23%3A59%3A59.999%2B02%3A00&minPrice=10&maxPrice=49.99&sort=soonest',
    );
    expect(searchQuery(search({ maxPrice: '20', q: 'rock' }))).toBe('q=rock&maxPrice=20');
  });

  it('leave out the default sort and a blank search text', () => {
    expect(searchQuery(search({ sort: 'newest', q: '   ' }))).toBe('');
  });

  it('give the home page and the listing for the same search', () => {
    expect(searchHref(EMPTY_SEARCH)).toBe('/');
    expect(listingPath(EMPTY_SEARCH)).toBe('/api/tickets');
    const jazz = search({ q: 'jazz', city: 'São Paulo' });
    expect(searchHref(jazz)).toBe('/?q=jazz&city=S%C3%A3o+Paulo');
    expect(listingPath(jazz)).toBe('/api/tickets?q=jazz&city=S%C3%A3o+Paulo');
  });

  it('round-trip through the URL', () => {
    for (const state of [EMPTY_SEARCH, saturday, search({ q: 'a&b=c #1 + 2' }), search({ city: 'Zürich' })]) {
      expect(readSearch(new URL(searchHref(state), 'https://gittix.test').searchParams)).toEqual(state);
    }
  });

  it('write a search the API accepts as the same search', () => {
    const parsed = ticketSearchSchema.parse(Object.fromEntries(new URLSearchParams(searchQuery(saturday))));
    expect(parsed).toEqual({
      q: ['jazz', 'trio'],
      city: 'berlin',
      category: 'concert',
      from: new Date('2027-06-04T22:00:00.000Z'),
      to: new Date('2027-06-05T21:59:59.999Z'),
      minPrice: 10,
      maxPrice: 49.99,
      sort: 'soonest',
    });
  });
});

describe('the filters', () => {
  it('are there when anything narrows the results; a sort alone does not', () => {
    expect(hasFilters(EMPTY_SEARCH)).toBe(false);
    expect(hasFilters(search({ sort: 'price_asc' }))).toBe(false);
    for (const field of ['q', 'city', 'category', 'from', 'to', 'minPrice', 'maxPrice'] as const)
      expect(hasFilters(search({ [field]: 'x' }))).toBe(true);
  });

  it('count once per control of the filter panel', () => {
    expect(panelFilterCount(EMPTY_SEARCH)).toBe(0);
    expect(panelFilterCount(search({ q: 'jazz', sort: 'soonest' }))).toBe(0);
    expect(panelFilterCount(saturday)).toBe(4);
    expect(panelFilterCount(search({ to: '2027-06-05', maxPrice: '5' }))).toBe(2);
  });

  it('change one at a time, or all go (the sort stays)', () => {
    expect(withChanges(saturday, { city: '', q: 'blues' })).toEqual({ ...saturday, city: '', q: 'blues' });
    expect(withoutFilters(saturday)).toEqual(search({ sort: 'soonest' }));
    expect(searchHref(withoutFilters(search({ q: 'x' })))).toBe('/');
    // A sort the API refuses goes too.
    expect(withoutFilters(search({ q: 'x', sort: 'cheapest' }))).toEqual(EMPTY_SEARCH);
  });

  it('read the sort, or the default for one the app does not know', () => {
    expect(sortOf(saturday)).toBe('soonest');
    expect(sortOf(EMPTY_SEARCH)).toBe('newest');
    expect(sortOf(search({ sort: 'cheapest' }))).toBe('newest');
  });
});

describe('matchCity', () => {
  const listed = ['Berlin', 'New York', 'São Paulo'];

  it('finds the listed city the URL names, as the API compares them', () => {
    expect(matchCity('berlin', listed)).toBe('Berlin');
    expect(matchCity('  new   YORK ', listed)).toBe('New York');
    expect(matchCity('SÃO PAULO', listed)).toBe('São Paulo');
  });

  it("keeps the URL's city when nothing is listed there now, and none when it names none", () => {
    expect(matchCity('Lisbon', listed)).toBe('Lisbon');
    expect(matchCity('', listed)).toBe('');
  });
});

describe('searchErrorMessage', () => {
  it("words the API's reasons with the controls' names", () => {
    expect(searchErrorMessage('minPrice', 'minPrice must be an amount like 25 or 19.99')).toBe(
      'Min price must be an amount like 25 or 19.99',
    );
    expect(searchErrorMessage('from', 'from must be a date (2027-06-05) or an ISO date-time')).toBe(
      'From date must be a date (2027-06-05) or an ISO date-time',
    );
    expect(searchErrorMessage('to', 'to must not be before from')).toBe('To date must not be before from date');
    expect(searchErrorMessage('maxPrice', 'maxPrice must not be below minPrice')).toBe(
      'Max price must not be below min price',
    );
    expect(searchErrorMessage('q', 'q may have at most 10 words')).toBe('Search may have at most 10 words');
  });

  it('keeps a message that does not start with the name as it is', () => {
    expect(searchErrorMessage('sort', 'Invalid input')).toBe('Invalid input');
    expect(searchErrorMessage('to', 'today is not a date')).toBe('today is not a date');
  });
});
