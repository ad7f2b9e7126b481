'use client';

import { ChakraProvider, createSystem, defaultConfig, defineConfig } from '@chakra-ui/react';
import type { ReactNode } from 'react';
import { SWRConfig } from 'swr';
import { ApiError, keys, type User } from '@/lib/api';

const config = defineConfig({
  theme: {
    tokens: {
      fonts: {
        // System fonts only: nothing may be fetched from the internet.
        heading: { value: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif' },
        body: { value: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif' },
      },
    },
    // Contrast (WCAG AA, 4.5:1): Chakra's teal.600 button and red.500 error text on a light
    // background measure about 3.7:1; one step darker passes.
    semanticTokens: {
      colors: {
        teal: { solid: { value: '{colors.teal.700}' } },
        fg: {
          error: { value: '{colors.red.700}' },
          warning: { value: '{colors.orange.700}' },
          success: { value: '{colors.green.700}' },
          info: { value: '{colors.blue.700}' },
        },
      },
    },
  },
  globalCss: {
    body: { bg: 'gray.50', color: 'gray.900' },
  },
});

const system = createSystem(defaultConfig, config);

export function Providers({ currentUser, children }: { currentUser: User | null; children: ReactNode }) {
  return (
    <ChakraProvider value={system}>
      <SWRConfig
        value={{
          // The server already asked who is signed in; the header starts from that answer.
          fallback: { [keys.currentUser]: currentUser },
          onErrorRetry: (error: unknown, _key, _config, revalidate, { retryCount }) => {
            // A 4xx will answer the same next time; only retry network trouble and 5xx, briefly.
            if (error instanceof ApiError && error.status >= 400 && error.status < 500) return;
            if (retryCount >= 3) return;
            setTimeout(() => void revalidate({ retryCount }), 1000 * 2 ** retryCount);
          },
        }}
      >
        {children}
      </SWRConfig>
    </ChakraProvider>
  );
}
