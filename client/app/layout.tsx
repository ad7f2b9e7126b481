import type { Metadata, Viewport } from 'next';
import { headers } from 'next/headers';
import type { ReactNode } from 'react';
import { Header } from '@/components/header';
import { Providers } from '@/components/providers';
import { SkipLink } from '@/components/skip-link';
import { getCurrentUser } from '@/lib/server-api';

export const metadata: Metadata = {
  title: { default: 'GitTix', template: '%s · GitTix' },
  description: 'Buy and sell event tickets.',
};

export const viewport: Viewport = {
  width: 'device-width',
  initialScale: 1,
  themeColor: '#2c7a7b',
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const currentUser = await getCurrentUser();
  // This page's CSP nonce (proxy.ts): Emotion puts it on the <style> elements it writes.
  const nonce = (await headers()).get('x-nonce') ?? undefined;
  return (
    // Chakra writes color-mode attributes on <html> before hydration.
    <html lang="en" suppressHydrationWarning>
      <body>
        <Providers currentUser={currentUser} nonce={nonce}>
          <SkipLink />
          <Header />
          <main id="main" tabIndex={-1}>
            {children}
          </main>
        </Providers>
      </body>
    </html>
  );
}
