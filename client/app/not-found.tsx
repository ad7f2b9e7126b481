import { NotFoundView } from '@/app/error';

export default function NotFound() {
  return <NotFoundView />;
}
