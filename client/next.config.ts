import path from 'node:path';
import type { NextConfig } from 'next';
import { PHASE_DEVELOPMENT_SERVER, PHASE_PRODUCTION_SERVER } from 'next/constants';
import { DEVELOPMENT_API_BASE_URL, parseEnv } from './lib/env';
import { STATIC_SECURITY_HEADERS } from './lib/security-headers';

export default function nextConfig(phase: string): NextConfig {
  // Fail the build (and `next start`) on a bad environment, with every problem listed.
  // The build never calls the API, so API_BASE_URL is only required where SSR runs.
  parseEnv(process.env, {
    requireApiBaseUrl: phase === PHASE_PRODUCTION_SERVER,
    defaultApiBaseUrl: phase === PHASE_DEVELOPMENT_SERVER ? DEVELOPMENT_API_BASE_URL : undefined,
  });
  return {
    reactStrictMode: true,
    poweredByHeader: false,
    // Source maps of the browser's chunks, only on request: bench/page-weight.mjs reads them
    // to say which packages the bytes of each page come from.
    productionBrowserSourceMaps: process.env.GITTIX_SOURCE_MAPS === '1',
    // A self-contained server (.next/standalone): the image and `npm start` run it
    // with only the traced node_modules and no sources. The workspace root is the
    // tracing root, because npm hoists the client's dependencies there.
    output: 'standalone',
    outputFileTracingRoot: path.join(__dirname, '..'),
    // nosniff, Referrer-Policy and X-Frame-Options on every response, assets included;
    // the pages' Content-Security-Policy (a nonce per page) comes from proxy.ts.
    headers: () => Promise.resolve([{ source: '/:path*', headers: [...STATIC_SECURITY_HEADERS] }]),
    experimental: {
      // Chakra's barrel re-exports hundreds of components; import only what is used.
      optimizePackageImports: ['@chakra-ui/react'],
    },
  };
}
