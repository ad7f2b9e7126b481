import { HomeView } from '@/components/home-view';
import { fetchTicketFilters, fetchTicketPage } from '@/lib/api';
import { listingPath, readSearch } from '@/lib/search';
import { loadOptional, loadOrRefused } from '@/lib/server-api';

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/**
 * The search page, rendered from its URL: the first page of the same search
 * the browser then keeps live (SWR), the filter choices, or the API's reason
 * for refusing a parameter of the URL.
 */
export default async function HomePage({ searchParams }: Props) {
  const key = listingPath(readSearch(await searchParams));
  const [listing, filters] = await Promise.all([
    loadOrRefused('tickets listing', (t) => fetchTicketPage(key, t)),
    loadOptional('ticket filters', (t) => fetchTicketFilters(t)),
  ]);
  return <HomeView initial={{ key, page: listing.data, refused: listing.refused }} initialFilters={filters} />;
}
