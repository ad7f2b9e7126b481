import { HomeView } from '@/components/home-view';
import { fetchTicketPage, keys } from '@/lib/api';
import { loadOptional } from '@/lib/server-api';

export default async function HomePage() {
  const initialPage = await loadOptional('tickets listing', (t) => fetchTicketPage(keys.availableTickets, t));
  return <HomeView initialPage={initialPage} />;
}
