'use client';

import { ChakraProvider } from '@chakra-ui/react';
import type { ReactNode } from 'react';
import { SWRConfig } from 'swr';
import { ApiError, keys, type User } from '@/lib/api';
import { EmotionRegistry } from './emotion-registry';
import { system } from './theme';

export function Providers({
  currentUser,
  nonce,
  children,
}: {
  currentUser: User | null;
  /** The page's CSP nonce, for Emotion's <style> elements. */
  nonce: string | undefined;
  children: ReactNode;
}) {
  return (
    <EmotionRegistry nonce={nonce}>
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
    </EmotionRegistry>
  );
}
