import 'server-only';
import { isObjectId } from '@gittix/common/contracts';
import { headers } from 'next/headers';
import { notFound, redirect, unstable_rethrow } from 'next/navigation';
import { cache } from 'react';
import { ApiError, fetchCurrentUser, type FieldError, type Transport, type User } from './api';
import { serverEnv } from './env';

/**
 * Server-rendering failures go to the Next server's stderr, which the platform
 * and the cluster collect (the client has no pino logger of its own).
 */
export function logServerError(what: string, error: unknown): void {
  // eslint-disable-next-line no-console -- the Next server's log is its stderr
  console.error(`${what} failed during server rendering:`, error);
}

/**
 * How server components reach the API: API_BASE_URL (the ingress in a cluster,
 * the gateway locally) with the browser's own Cookie header, so the services
 * see the same session the browser has.
 */
export async function serverTransport(): Promise<Transport> {
  const incoming = await headers();
  const cookie = incoming.get('cookie');
  const forwarded: Record<string, string> = {};
  if (cookie) forwarded.cookie = cookie;
  const requestId = incoming.get('x-request-id');
  if (requestId) forwarded['x-request-id'] = requestId;
  return { baseUrl: serverEnv().apiBaseUrl, headers: forwarded };
}

/**
 * The signed-in user for this request (deduplicated across layout and page).
 * If the auth service cannot be reached the page still renders, signed out;
 * the header's SWR revalidation corrects it once the service is back.
 */
export const getCurrentUser = cache(async (): Promise<User | null> => {
  // Outside the try: reading the request's headers is what marks the route dynamic.
  const transport = await serverTransport();
  try {
    return await fetchCurrentUser(transport);
  } catch (error) {
    unstable_rethrow(error);
    logServerError('currentuser lookup', error);
    return null;
  }
});

export function signInPath(nextPath: string): string {
  return `/auth/signin?next=${encodeURIComponent(nextPath)}`;
}

/** For private pages: the user, or a redirect to sign in and back to `nextPath`. */
export async function requireUser(nextPath: string): Promise<User> {
  const user = await getCurrentUser();
  if (!user) redirect(signInPath(nextPath));
  return user;
}

/**
 * For pages with an id in their path (`/tickets/[id]`, `/orders/[id]`): one
 * that cannot be an id (not the services' 24 hex characters) is the not-found
 * page at once, without asking the API.
 */
export function notFoundUnlessId(id: string): void {
  if (!isObjectId(id)) notFound();
}

/**
 * Loads data for a server-rendered page, turning the API's answers into the
 * App Router's: 404 (and 400, a malformed id) → not-found page, 401 → sign in.
 * Anything else reaches the route's error boundary.
 */
export async function loadOrNotFound<T>(load: (transport: Transport) => Promise<T>, nextPath: string): Promise<T> {
  const transport = await serverTransport();
  try {
    return await load(transport);
  } catch (error) {
    unstable_rethrow(error);
    if (error instanceof ApiError) {
      if (error.status === 404 || error.status === 400) notFound();
      if (error.status === 401) redirect(signInPath(nextPath));
    }
    throw error;
  }
}

/**
 * Data a page can render without (the browser fetches it again through SWR):
 * null when the API cannot answer, after logging why.
 */
export async function loadOptional<T>(what: string, load: (transport: Transport) => Promise<T>): Promise<T | null> {
  const transport = await serverTransport();
  try {
    return await load(transport);
  } catch (error) {
    unstable_rethrow(error);
    logServerError(what, error);
    return null;
  }
}

/**
 * Like {@link loadOptional}, for a request built from the page's own URL: a
 * 400 is the API refusing what the URL asks for, an answer the page shows
 * (its messages name the parameters), not a failure.
 */
export async function loadOrRefused<T>(
  what: string,
  load: (transport: Transport) => Promise<T>,
): Promise<{ data: T | null; refused: FieldError[] | null }> {
  const transport = await serverTransport();
  try {
    return { data: await load(transport), refused: null };
  } catch (error) {
    unstable_rethrow(error);
    if (error instanceof ApiError && error.status === 400) return { data: null, refused: error.errors };
    logServerError(what, error);
    return { data: null, refused: null };
  }
}
