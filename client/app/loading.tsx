import { LoadingView } from '@/components/status-views';

export default function Loading() {
  return <LoadingView />;
}
