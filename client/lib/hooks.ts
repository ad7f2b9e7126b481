import { useSyncExternalStore } from 'react';
import useSWR, { useSWRConfig } from 'swr';
import { fetchCurrentUser, keys, type User } from './api';

/** The signed-in user; starts from the server's answer and is refreshed on focus or by `useRefreshCurrentUser`. */
export function useCurrentUser() {
  return useSWR<User | null>(keys.currentUser, () => fetchCurrentUser(), { revalidateIfStale: false });
}

/** After sign in/up/out: store the new answer without waiting for a round trip. */
export function useSetCurrentUser() {
  const { mutate } = useSWRConfig();
  return (user: User | null) => mutate<User | null>(keys.currentUser, user, { revalidate: false });
}

function subscribeToSeconds(onTick: () => void): () => void {
  const timer = setInterval(onTick, 1000);
  return () => clearInterval(timer);
}

const currentSecond = () => Math.floor(Date.now() / 1000) * 1000;

/**
 * The current time, ticking every second. During hydration it returns
 * `serverNow` (the time the server rendered at) so server and browser agree,
 * then switches to the browser's clock.
 */
export function useNow(serverNow: number): number {
  return useSyncExternalStore(subscribeToSeconds, currentSecond, () => serverNow);
}
