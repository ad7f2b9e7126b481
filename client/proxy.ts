import { NextResponse, type NextRequest } from 'next/server';
import { isDevelopment, stripePublishableKey } from './lib/public-env';
import { contentSecurityPolicy, createNonce } from './lib/security-headers';

/**
 * Every page gets a Content-Security-Policy with a fresh nonce (Next.js 16's
 * Proxy, which runs on the Node.js runtime, standalone server included). The
 * policy goes on the request too: Next reads the nonce from it and puts it on
 * its own scripts; `x-nonce` carries it to the root layout for Emotion's
 * styles. Both request headers are always overwritten, so a visitor's own
 * values never reach the page. The static headers (nosniff, …) come from
 * next.config.ts. Pages are rendered per request (they read the cookie), as a
 * nonce needs.
 */
export function proxy(request: NextRequest): NextResponse {
  const nonce = createNonce();
  // Both inlined at build time, like the bundle's own choice of Stripe.js.
  const policy = contentSecurityPolicy({ nonce, development: isDevelopment, stripe: Boolean(stripePublishableKey) });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('x-nonce', nonce);
  requestHeaders.set('content-security-policy', policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set('content-security-policy', policy);
  return response;
}

export const config = {
  // Pages only: not the built assets, the image optimiser, the health probe, nor
  // /api (the services', which never reaches this server behind the gateway or
  // the ingress). Prefetches get a policy too: it is cheap, and it keeps the
  // x-nonce header the layout reads always ours.
  matcher: ['/((?!api/|_next/static/|_next/image|healthz).*)'],
};
