/**
 * Browser-safe configuration. Next inlines `NEXT_PUBLIC_*` at build time only
 * when it is read with this literal expression, so it cannot live behind the
 * zod schema in `env.ts` (which `next.config.ts` runs to validate it).
 */
export const stripePublishableKey: string | undefined = process.env.NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY || undefined;

/** `next dev` (Next inlines NODE_ENV too): the CSP allows what React's debugging tools need. */
export const isDevelopment: boolean = process.env.NODE_ENV === 'development';
