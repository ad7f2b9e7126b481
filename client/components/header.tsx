'use client';

import { Box, Button, Container, Flex, HStack, Link, Text } from '@chakra-ui/react';
import NextLink from 'next/link';
import { usePathname } from 'next/navigation';
import { useState } from 'react';
import { useSWRConfig } from 'swr';
import { keys, signOut } from '@/lib/api';
import { useCurrentUser } from '@/lib/hooks';
// Also what puts ui.tsx in the layout's bundle, which every page's own bundle then shares.
import { ErrorList } from './ui';

function NavLink({ href, children }: { href: string; children: string }) {
  const pathname = usePathname();
  const active = pathname === href;
  return (
    <Link
      asChild
      fontWeight="medium"
      color={active ? 'teal.700' : 'gray.700'}
      textDecoration={active ? 'underline' : 'none'}
      textUnderlineOffset="4px"
      px="1"
      py="1"
      whiteSpace="nowrap"
    >
      <NextLink href={href} aria-current={active ? 'page' : undefined}>
        {children}
      </NextLink>
    </Link>
  );
}

export function Header() {
  const { data: user } = useCurrentUser();
  const { mutate } = useSWRConfig();
  const [signingOut, setSigningOut] = useState(false);
  const [signOutError, setSignOutError] = useState<string | null>(null);

  async function handleSignOut() {
    setSigningOut(true);
    setSignOutError(null);
    try {
      await signOut();
    } catch {
      setSignOutError('Could not sign out. Please try again.');
      setSigningOut(false);
      return;
    }
    await mutate(keys.currentUser, null, { revalidate: false });
    // A full page load, not a client-side navigation: it drops every private answer held
    // in memory (SWR's cache, the router's cache of the pages just seen, Back included).
    window.location.assign('/');
  }

  // Phone: brand and account on the first row, the signed-in links on the second.
  // Wider: one row, links before the account.
  return (
    <Box as="header" bg="white" borderBottomWidth="1px" borderColor="gray.200">
      <Container maxW="6xl" py="3">
        <Flex align="center" wrap="wrap" columnGap={{ base: '3', md: '6' }} rowGap="2">
          <Link asChild fontWeight="bold" fontSize="xl" color="teal.700" _hover={{ textDecoration: 'none' }}>
            <NextLink href="/">GitTix</NextLink>
          </Link>
          {user ? (
            <Box
              as="nav"
              aria-label="Main"
              order={{ base: 2, md: 1 }}
              width={{ base: 'full', md: 'auto' }}
              ms={{ md: 'auto' }}
            >
              <HStack as="ul" listStyleType="none" gap={{ base: '4', md: '5' }} wrap="wrap">
                <li>
                  <NavLink href="/tickets/new">Sell a ticket</NavLink>
                </li>
                <li>
                  <NavLink href="/orders">My orders</NavLink>
                </li>
                <li>
                  <NavLink href="/tickets/mine">My tickets</NavLink>
                </li>
              </HStack>
            </Box>
          ) : null}
          <HStack order={{ base: 1, md: 2 }} ms="auto" gap="3" minW="0">
            {user ? (
              <>
                <Text fontSize="sm" color="gray.600" truncate minW="0" title={user.username}>
                  <Text as="span" hideBelow="sm">
                    Signed in as{' '}
                  </Text>
                  <Text as="span" fontWeight="semibold" color="gray.800" data-testid="current-username">
                    {user.username}
                  </Text>
                </Text>
                <Button
                  size="sm"
                  variant="outline"
                  flexShrink={0}
                  onClick={() => void handleSignOut()}
                  loading={signingOut}
                  loadingText="Signing out"
                >
                  Sign out
                </Button>
              </>
            ) : (
              <>
                <NavLink href="/auth/signin">Sign in</NavLink>
                <Button asChild size="sm" colorPalette="teal">
                  <NextLink href="/auth/signup">Sign up</NextLink>
                </Button>
              </>
            )}
          </HStack>
        </Flex>
        {signOutError ? (
          <Box mt="2">
            <ErrorList messages={[signOutError]} />
          </Box>
        ) : null}
      </Container>
    </Box>
  );
}
