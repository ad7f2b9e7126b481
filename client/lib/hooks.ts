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

const tickers = new Map<number, (onTick: () => void) => () => void>();

/** One stable subscribe function per interval (useSyncExternalStore resubscribes when it changes). */
function ticker(stepMs: number): (onTick: () => void) => () => void {
  let subscribe = tickers.get(stepMs);
  if (!subscribe) {
    subscribe = (onTick) => {
      const timer = setInterval(onTick, stepMs);
      return () => clearInterval(timer);
    };
    tickers.set(stepMs, subscribe);
  }
  return subscribe;
}

const currentSecond = () => Math.floor(Date.now() / 1000) * 1000;

/**
 * The current time, to the second, rendered again every `stepMs` (every
 * second by default). During hydration it returns `serverNow` (the time the
 * server rendered at) so server and browser agree, then switches to the
 * browser's clock.
 */
export function useNow(serverNow: number, stepMs = 1000): number {
  return useSyncExternalStore(ticker(stepMs), currentSecond, () => serverNow);
}

const subscribeToNothing = () => () => {};

/**
 * False in the server render and while hydrating, true afterwards (and in
 * any render that is not a hydration): for what only the browser knows, such
 * as the reader's time zone, without a hydration mismatch.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribeToNothing,
    () => true,
    () => false,
  );
}
