/**
 * The web app's security headers. `proxy.ts` sends the Content-Security-Policy
 * (a fresh nonce per page); `next.config.ts` sends the static headers on every
 * response of the Next server, assets included. The API routes are served by
 * the other services, never by this app.
 */

/** Headers with one value for every response. */
export const STATIC_SECURITY_HEADERS: readonly { key: string; value: string }[] = [
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
  // frame-ancestors 'none' says the same to every current browser; this is for the old ones.
  { key: 'X-Frame-Options', value: 'DENY' },
];

/** Stripe.js and what it needs (Stripe's CSP guide): its script, the card form's frames, its API. */
export const STRIPE_SOURCES = {
  script: ['https://js.stripe.com', 'https://*.js.stripe.com'],
  frame: ['https://js.stripe.com', 'https://*.js.stripe.com', 'https://hooks.stripe.com'],
  connect: ['https://api.stripe.com'],
} as const;

export interface CspOptions {
  /** Base64, fresh for each page (`createNonce`). */
  nonce: string;
  /** `next dev`: React's debugging needs `eval`, and the dev overlay injects styles without a nonce. */
  development: boolean;
  /** A Stripe publishable key is configured, so the checkout loads Stripe.js. */
  stripe: boolean;
}

/**
 * The Content-Security-Policy of a page.
 *
 * - Scripts: Next puts the request's nonce on its bootstrap scripts and bundles
 *   (it reads it from this header), and `'strict-dynamic'` lets those load the
 *   chunks they need; `'self'` (and Stripe's host) only count for browsers
 *   without CSP 3. No `'unsafe-eval'` outside `next dev`.
 * - Styles: Emotion's `<style>` elements (Chakra) carry the nonce, on the
 *   server (components/emotion-registry.tsx) and in the browser (the cache's
 *   `nonce`). Style *attributes* cannot carry one, and Chakra's Zag machines
 *   render some into the server HTML (the visually hidden radio inputs, CSS
 *   variables), so `style-src-attr` alone allows inline attributes. Attributes
 *   have no selectors (no CSS-based exfiltration); the most they can do is
 *   load an image, which img-src already allows.
 * - Images: ticket pictures are any https URL a seller gives (the ticket page
 *   hides one that fails to load, and sends no Referer). Allowing `https:`
 *   images keeps them working without proxying arbitrary URLs through the
 *   server (an SSRF risk) and exposes no more than the viewer's IP address to
 *   that host. Plain `http:` images are not allowed: on an HTTPS site the
 *   browser upgrades them to https first anyway.
 * - Stripe's hosts only when a publishable key is configured.
 */
export function contentSecurityPolicy({ nonce, development, stripe }: CspOptions): string {
  const nonceSource = `'nonce-${nonce}'`;
  const directives: Record<string, string[]> = {
    'default-src': ["'self'"],
    'script-src': [
      "'self'",
      nonceSource,
      "'strict-dynamic'",
      ...(development ? ["'unsafe-eval'"] : []),
      ...(stripe ? STRIPE_SOURCES.script : []),
    ],
    'style-src': development ? ["'self'", "'unsafe-inline'"] : ["'self'", nonceSource],
    'style-src-attr': ["'unsafe-inline'"],
    'img-src': ["'self'", 'data:', 'blob:', 'https:'],
    'font-src': ["'self'"],
    'connect-src': ["'self'", ...(stripe ? STRIPE_SOURCES.connect : [])],
    'frame-src': stripe ? [...STRIPE_SOURCES.frame] : ["'none'"],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
  };
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');
}

/** 128 random bits, base64: unguessable and fresh for each response. */
export function createNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}
