import type { Metadata, Viewport } from 'next';
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
  return (
    // Chakra writes color-mode attributes on <html> before hydration.
    <html lang="en" suppressHydrationWarning>
      <body>
        <Providers currentUser={currentUser}>
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
