/**
 * The client's data layer: the API's wire types (docs/architecture.md#routes), the app's own
 * types, the functions that turn one into the other, and one fetcher per
 * endpoint. Pages and components never call `fetch` or read API JSON directly.
 *
 * Every fetcher takes an optional `Transport`. In the browser it is omitted:
 * requests go to the same origin with relative `/api/...` URLs and the session
 * cookie. On the server, `server-api.ts` passes the API base URL and the
 * browser's Cookie header.
 *
 * SWR keys are the API paths themselves (`keys.*`), so the key, the request
 * and the server-rendered fallback always agree.
 *
 * What the services and the app must agree on (statuses, the request bodies)
 * comes from `@gittix/common/contracts`: through `contracts-lite.ts` (no zod)
 * for values, which keeps zod out of the pages that only read the API. The
 * listings ask for the API's default page size (`defaultPageSize`).
 */

import type { TicketBody, TicketUpdateBody } from '@gittix/common/contracts';
import {
  isTicketCategory,
  orderStatuses,
  paymentStatuses,
  ticketStatuses,
  type OrderStatus,
  type PaymentStatus,
  type TicketCategory,
  type TicketStatus,
} from './contracts-lite';

export type { OrderStatus, PaymentStatus, TicketStatus };

// ---------------------------------------------------------------------------
// Wire types: what the services send

interface ApiErrorBody {
  errors: { message: string; field?: string }[];
}

interface ApiUser {
  id: string;
  email: string;
  username?: string;
}

interface ApiCurrentUserBody {
  currentUser: (ApiUser & { iat?: number; exp?: number }) | null;
}

interface ApiTicket {
  id: string;
  title: string;
  price: number;
  userId: string;
  username?: string;
  description?: string | null;
  imageUrl?: string | null;
  status?: string;
  /** The event (ISO date-time, where, what kind); null on tickets listed before tickets had them. */
  eventDate?: string | null;
  venue?: string | null;
  city?: string | null;
  category?: string | null;
  /** Only the seller's view of a reserved or sold ticket carries it; the public JSON omits it. */
  orderId?: string | null;
  version: number;
  createdAt?: string;
  updatedAt?: string;
}

interface ApiOrder {
  id: string;
  userId: string;
  status: string;
  expiresAt: string;
  ticket: { id: string; title?: string; price: number };
  version: number;
  createdAt?: string;
}

interface ApiPayment {
  id: string;
  orderId: string;
  stripeId?: string;
  /** Integer cents (Stripe's smallest currency unit). */
  amount: number;
  currency: string;
  /** `GET /api/payments` sends it; the `POST` answer (a fresh charge) may not. */
  status?: string;
  createdAt?: string;
}

// ---------------------------------------------------------------------------
// App types: what the UI works with

export interface User {
  id: string;
  email: string;
  username: string;
}

export interface Ticket {
  id: string;
  title: string;
  price: number;
  sellerId: string;
  sellerName: string;
  description: string;
  imageUrl: string | null;
  /** When the event starts (ISO date-time), or null for a ticket listed before tickets had event details. */
  eventDate: string | null;
  venue: string | null;
  city: string | null;
  category: TicketCategory | null;
  status: TicketStatus;
  /** The order holding the ticket, when the API tells (the seller's view only); the UI never needs it. */
  orderId: string | null;
  version: number;
  createdAt: string | null;
}

/** How many tickets a search finds (`X-Total-Count`): exact, or "at least" past what the API counts (`1000+`). */
export interface TotalCount {
  count: number;
  atLeast: boolean;
}

export interface TicketPage {
  tickets: Ticket[];
  /** Relative URL of the next page (from the `Link: <…>; rel="next"` header), or null on the last page. */
  next: string | null;
  /** The number of matches; only the first page of the public listing tells, otherwise null. */
  total: TotalCount | null;
}

/** The cities and categories with tickets listed now, with how many, most first (`GET /api/tickets/filters`). */
export interface TicketFilters {
  cities: { city: string; count: number }[];
  categories: { category: TicketCategory; count: number }[];
}

export interface Order {
  id: string;
  userId: string;
  status: OrderStatus;
  expiresAt: string;
  ticket: { id: string; title: string; price: number };
  version: number;
  createdAt: string | null;
}

export interface OrderPage {
  orders: Order[];
  /** Relative URL of the next page (`Link: <…>; rel="next"`), or null on the last page or when the API sends no Link. */
  next: string | null;
}

export interface Payment {
  id: string;
  orderId: string;
  /** Integer cents, e.g. 2500 for $25.00 (see `formatMoney`). */
  amount: number;
  /** ISO 4217 code as Stripe writes it, e.g. `usd`. */
  currency: string;
  status: PaymentStatus;
  createdAt: string | null;
}

export interface Credentials {
  email: string;
  password: string;
  username?: string;
}

// ---------------------------------------------------------------------------
// Errors

export interface FieldError {
  message: string;
  field?: string;
}

/** A non-2xx answer, carrying the API's `{errors:[{message, field?}]}` entries. */
export class ApiError extends Error {
  readonly status: number;
  readonly errors: FieldError[];

  constructor(status: number, errors: FieldError[], options?: ErrorOptions) {
    super(errors.map((e) => e.message).join('; ') || `Request failed (${status})`, options);
    this.name = 'ApiError';
    this.status = status;
    this.errors = errors;
  }

  /** The first message for each field the API named. */
  fieldErrors(): Record<string, string> {
    const byField: Record<string, string> = {};
    for (const e of this.errors) {
      if (e.field !== undefined && byField[e.field] === undefined) byField[e.field] = e.message;
    }
    return byField;
  }

  /** Messages that belong to no field (or to fields the form does not show). */
  generalErrors(shownFields: readonly string[] = []): string[] {
    return this.errors.filter((e) => e.field === undefined || !shownFields.includes(e.field)).map((e) => e.message);
  }
}

const FALLBACK_MESSAGES: Record<number, string> = {
  401: 'Please sign in first.',
  403: 'You are not allowed to do that.',
  404: 'Not found.',
  413: 'That is too much data.',
  429: 'Too many attempts. Please wait a moment and try again.',
};

function isErrorBody(value: unknown): value is ApiErrorBody {
  return (
    typeof value === 'object' &&
    value !== null &&
    Array.isArray((value as { errors?: unknown }).errors) &&
    (value as ApiErrorBody).errors.every((e) => typeof e?.message === 'string')
  );
}

async function toApiError(response: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // Not JSON (a proxy's HTML error page, an empty body): fall through to a generic message.
  }
  if (isErrorBody(body) && body.errors.length > 0) {
    return new ApiError(response.status, body.errors);
  }
  const message =
    FALLBACK_MESSAGES[response.status] ??
    (response.status >= 500
      ? 'Something went wrong on our side. Please try again.'
      : `Request failed (${response.status}).`);
  return new ApiError(response.status, [{ message }]);
}

// ---------------------------------------------------------------------------
// Transport

export interface Transport {
  /** '' (same origin) in the browser; API_BASE_URL on the server. */
  baseUrl: string;
  headers?: Record<string, string>;
}

const BROWSER: Transport = { baseUrl: '' };

async function request(
  path: string,
  init: { method?: string; body?: unknown } = {},
  transport: Transport = BROWSER,
): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json', ...transport.headers };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(`${transport.baseUrl}${path}`, {
      method: init.method ?? 'GET',
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      // Same origin in the browser: the session cookie goes along. On the server the
      // Cookie header is forwarded explicitly and nothing may be cached across users.
      credentials: 'same-origin',
      cache: 'no-store',
      signal: AbortSignal.timeout(15_000),
    });
  } catch (error) {
    // Network failure or timeout: same shape as an API error so every caller has one path.
    throw new ApiError(0, [{ message: 'Cannot reach GitTix right now. Check your connection and try again.' }], {
      cause: error,
    });
  }
  if (!response.ok) throw await toApiError(response);
  return response;
}

async function requestJson<T>(
  path: string,
  init?: { method?: string; body?: unknown },
  transport?: Transport,
): Promise<T> {
  const response = await request(path, init, transport);
  return (await response.json()) as T;
}

// ---------------------------------------------------------------------------
// Reshaping

function reshapeUser(user: ApiUser): User {
  return { id: user.id, email: user.email, username: user.username || user.email.split('@')[0] || user.email };
}

/** `value` when it is one of `statuses`, else `fallback` (a status this build does not know). */
function knownStatus<S extends string>(statuses: readonly S[], value: string | undefined, fallback: S): S {
  return (statuses as readonly string[]).includes(value ?? '') ? (value as S) : fallback;
}

export function reshapeTicket(ticket: ApiTicket): Ticket {
  return {
    id: ticket.id,
    title: ticket.title,
    price: ticket.price,
    sellerId: ticket.userId,
    sellerName: ticket.username || 'A seller',
    description: ticket.description ?? '',
    imageUrl: ticket.imageUrl || null,
    eventDate: ticket.eventDate && !Number.isNaN(Date.parse(ticket.eventDate)) ? ticket.eventDate : null,
    venue: ticket.venue || null,
    city: ticket.city || null,
    // A category this build does not know is shown as none rather than mislabelled.
    category: isTicketCategory(ticket.category) ? ticket.category : null,
    status: knownStatus(ticketStatuses, ticket.status, 'available'),
    orderId: ticket.orderId ?? null,
    version: ticket.version,
    createdAt: ticket.createdAt ?? null,
  };
}

export function reshapeOrder(order: ApiOrder): Order {
  return {
    id: order.id,
    userId: order.userId,
    status: knownStatus(orderStatuses, order.status, 'created'),
    expiresAt: order.expiresAt,
    ticket: { id: order.ticket.id, title: order.ticket.title ?? 'Ticket', price: order.ticket.price },
    version: order.version,
    createdAt: order.createdAt ?? null,
  };
}

export function reshapePayment(payment: ApiPayment): Payment {
  return {
    id: payment.id,
    orderId: payment.orderId,
    amount: payment.amount,
    currency: payment.currency,
    // Never claim a refund the API did not report: anything unknown is a charge that stands.
    status: knownStatus(paymentStatuses, payment.status, 'succeeded'),
    createdAt: payment.createdAt ?? null,
  };
}

/**
 * The `rel="next"` URL of an RFC 8288 Link header, made relative so the browser
 * asks its own origin (the services may announce their internal host). Only a
 * link to `listing` (the path of the list being paged) is followed, whatever
 * the header says.
 */
export function parseNextLink(header: string | null, listing = '/api/tickets'): string | null {
  if (!header) return null;
  for (const part of header.split(',')) {
    const match = /<([^>]*)>\s*;(.*)$/.exec(part.trim());
    if (!match?.[1] || !/\brel="?next"?/i.test(match[2] ?? '')) continue;
    try {
      const url = new URL(match[1], 'http://gittix.invalid');
      if (url.pathname !== listing) return null;
      return `${url.pathname}${url.search}`;
    } catch {
      return null;
    }
  }
  return null;
}

/**
 * `X-Total-Count` of the listing's first page: a whole number, or `1000+`
 * (more than the API counts). null when the header is missing or malformed.
 */
export function parseTotalCount(header: string | null): TotalCount | null {
  const match = /^\s*(\d{1,15})(\+?)\s*$/.exec(header ?? '');
  if (!match?.[1]) return null;
  return { count: Number(match[1]), atLeast: match[2] === '+' };
}

// ---------------------------------------------------------------------------
// Keys (also the request paths)

// The listings ask for the API's default page size (`defaultPageSize`): no `limit`.
export const keys = {
  currentUser: '/api/users/currentuser',
  sellerTickets: (userId: string) => `/api/tickets?userId=${encodeURIComponent(userId)}`,
  ticketFilters: '/api/tickets/filters',
  ticket: (id: string) => `/api/tickets/${encodeURIComponent(id)}`,
  // An orders service without pagination sends every order, with no Link header.
  orders: '/api/orders',
  order: (id: string) => `/api/orders/${encodeURIComponent(id)}`,
  // An order has one charge, rarely a second (refunded) one: the first page holds them all.
  payments: (orderId: string) => `/api/payments?orderId=${encodeURIComponent(orderId)}`,
} as const;

// ---------------------------------------------------------------------------
// Fetchers

export async function fetchCurrentUser(transport?: Transport): Promise<User | null> {
  const body = await requestJson<ApiCurrentUserBody>(keys.currentUser, undefined, transport);
  return body.currentUser ? reshapeUser(body.currentUser) : null;
}

export async function signUp(credentials: Credentials): Promise<User> {
  return reshapeUser(await requestJson<ApiUser>('/api/users/signup', { method: 'POST', body: credentials }));
}

export async function signIn(credentials: Credentials): Promise<User> {
  return reshapeUser(await requestJson<ApiUser>('/api/users/signin', { method: 'POST', body: credentials }));
}

export async function signOut(): Promise<void> {
  await request('/api/users/signout', { method: 'POST', body: {} });
}

/** One page of a tickets listing; `path` is a search's `listingPath`, `keys.sellerTickets` or a previous page's `next`. */
export async function fetchTicketPage(path: string, transport?: Transport): Promise<TicketPage> {
  const response = await request(path, undefined, transport);
  const tickets = (await response.json()) as ApiTicket[];
  return {
    tickets: tickets.map(reshapeTicket),
    next: parseNextLink(response.headers.get('link')),
    total: parseTotalCount(response.headers.get('x-total-count')),
  };
}

interface ApiFilters {
  cities?: { city?: unknown; count?: unknown }[];
  categories?: { category?: unknown; count?: unknown }[];
}

const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value > 0;

/** The filter choices with their counts; an entry the app cannot read is left out, never a failure. */
export async function fetchTicketFilters(transport?: Transport): Promise<TicketFilters> {
  const body = await requestJson<ApiFilters>(keys.ticketFilters, undefined, transport);
  const cities: TicketFilters['cities'] = [];
  for (const { city, count } of Array.isArray(body.cities) ? body.cities : [])
    if (typeof city === 'string' && city.trim() !== '' && isCount(count)) cities.push({ city, count });
  const categories: TicketFilters['categories'] = [];
  for (const { category, count } of Array.isArray(body.categories) ? body.categories : [])
    if (isTicketCategory(category) && isCount(count)) categories.push({ category, count });
  return { cities, categories };
}

export async function fetchTicket(path: string, transport?: Transport): Promise<Ticket> {
  return reshapeTicket(await requestJson<ApiTicket>(path, undefined, transport));
}

/** POST /api/tickets with the body the API defines (`TicketBody`: `eventDate` an ISO string). */
export async function createTicket(input: TicketBody): Promise<Ticket> {
  return reshapeTicket(await requestJson<ApiTicket>('/api/tickets', { method: 'POST', body: input }));
}

/** PUT /api/tickets/:id: an omitted field keeps its value, `null` clears it (`imageUrl: null` removes the image). */
export async function updateTicket(id: string, input: TicketUpdateBody): Promise<Ticket> {
  return reshapeTicket(await requestJson<ApiTicket>(keys.ticket(id), { method: 'PUT', body: input }));
}

export async function deleteTicket(id: string): Promise<void> {
  await request(keys.ticket(id), { method: 'DELETE' });
}

/** One page of the caller's orders; `path` is `keys.orders` or a previous page's `next`. */
export async function fetchOrderPage(path: string, transport?: Transport): Promise<OrderPage> {
  const response = await request(path, undefined, transport);
  const orders = (await response.json()) as ApiOrder[];
  return { orders: orders.map(reshapeOrder), next: parseNextLink(response.headers.get('link'), '/api/orders') };
}

export async function fetchOrder(path: string, transport?: Transport): Promise<Order> {
  return reshapeOrder(await requestJson<ApiOrder>(path, undefined, transport));
}

export async function createOrder(ticketId: string): Promise<Order> {
  return reshapeOrder(await requestJson<ApiOrder>('/api/orders', { method: 'POST', body: { ticketId } }));
}

/** Pauses between attempts when the orders service has not heard of a ticket yet (~3 s in all). */
export const ORDER_RETRY_DELAYS_MS: readonly number[] = [250, 500, 750, 1000];

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Reserves a ticket. Events are asynchronous: a ticket listed a moment ago may
 * not have reached the orders service yet, which then answers 404. Retry that
 * case a few times with growing pauses before giving up with a friendly message.
 */
export async function createOrderWhenKnown(
  ticketId: string,
  delays: readonly number[] = ORDER_RETRY_DELAYS_MS,
): Promise<Order> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await createOrder(ticketId);
    } catch (error) {
      const delay = delays[attempt];
      if (!(error instanceof ApiError) || error.status !== 404) throw error;
      if (delay === undefined) {
        throw new ApiError(404, [
          { message: 'This ticket is not ready for sale yet, or it was just removed. Please try again in a moment.' },
        ]);
      }
      await sleep(delay);
    }
  }
}

export async function cancelOrder(id: string): Promise<Order> {
  return reshapeOrder(await requestJson<ApiOrder>(keys.order(id), { method: 'DELETE' }));
}

export async function createPayment(orderId: string, token: string): Promise<Payment> {
  return reshapePayment(await requestJson<ApiPayment>('/api/payments', { method: 'POST', body: { orderId, token } }));
}

/**
 * The caller's payments for one order, newest first (`keys.payments`). A payments
 * service without this route answers 404: that is "no payments", never an error.
 */
export async function listPayments(orderId: string, transport?: Transport): Promise<Payment[]> {
  try {
    const payments = await requestJson<ApiPayment[]>(keys.payments(orderId), undefined, transport);
    // Whatever a service that ignored the filter might send, only this order's payments count.
    return payments.filter((p) => p.orderId === orderId).map(reshapePayment);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return [];
    throw error;
  }
}
