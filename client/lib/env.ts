import { z } from 'zod';

/**
 * The client's environment, parsed in one place (docs/architecture.md#conventions:
 * no `process.env` elsewhere, except the inlined public key in `public-env.ts`).
 *
 * `next.config.ts` calls `parseEnv` for every phase, so a bad value fails
 * `next build` and `next start` with one message listing every problem.
 */

// An empty variable (`API_BASE_URL=`) means "unset", not "invalid".
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

const schema = z.object({
  API_BASE_URL: optional(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL, e.g. http://localhost:3000' })),
  NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY: optional(
    z.string().regex(/^pk_(test|live)_\w+$/, 'must be a Stripe publishable key (pk_test_… or pk_live_…)'),
  ),
});

export interface ClientEnv {
  /** Where server-side rendering reaches the API (the ingress or the local gateway). */
  readonly apiBaseUrl: string | undefined;
  readonly stripePublishableKey: string | undefined;
}

export interface ParseEnvOptions {
  /** True where SSR will run for real (`next start`); the build itself never calls the API. */
  readonly requireApiBaseUrl: boolean;
  /** Used when API_BASE_URL is unset and not required (development). */
  readonly defaultApiBaseUrl?: string;
}

export const DEVELOPMENT_API_BASE_URL = 'http://localhost:3000';

export function parseEnv(source: Record<string, string | undefined>, options: ParseEnvOptions): ClientEnv {
  const result = schema.safeParse(source);
  const problems = result.success
    ? []
    : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  const apiBaseUrl = result.success ? (result.data.API_BASE_URL ?? options.defaultApiBaseUrl) : undefined;
  if (result.success && options.requireApiBaseUrl && apiBaseUrl === undefined) {
    problems.push('API_BASE_URL: required (where server-side rendering reaches the API, e.g. http://localhost:3000)');
  }
  if (!result.success || problems.length > 0) {
    throw new Error(`Invalid client environment:\n  - ${problems.join('\n  - ')}`);
  }
  return Object.freeze({
    apiBaseUrl: apiBaseUrl?.replace(/\/+$/, ''),
    stripePublishableKey: result.data.NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY,
  });
}

let cached: (ClientEnv & { apiBaseUrl: string }) | undefined;

/** The environment as the running server sees it; parsed once. */
export function serverEnv(): ClientEnv & { apiBaseUrl: string } {
  if (!cached) {
    const isProduction = process.env.NODE_ENV === 'production';
    const env = parseEnv(process.env, {
      requireApiBaseUrl: isProduction,
      defaultApiBaseUrl: isProduction ? undefined : DEVELOPMENT_API_BASE_URL,
    });
    if (env.apiBaseUrl === undefined) throw new Error('API_BASE_URL is required');
    cached = { ...env, apiBaseUrl: env.apiBaseUrl };
  }
  return cached;
}
