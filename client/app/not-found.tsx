import { NotFoundView } from '@/components/status-views';

export default function NotFound() {
  return <NotFoundView />;
}
