import { HomeLoadingView } from '@/app/error';

// Only the home page streams a skeleton. A loading boundary above the private pages
// would start the response before their sign-in check, turning its 307 into a client-side redirect.
export default function Loading() {
  return <HomeLoadingView />;
}
