'use client';

import { Link } from '@chakra-ui/react';

/** Keyboard users jump past the header; visible only while focused. */
export function SkipLink() {
  return (
    <Link
      href="#main"
      position="absolute"
      left="2"
      top="-40"
      zIndex="skipLink"
      bg="white"
      px="3"
      py="2"
      borderRadius="md"
      boxShadow="md"
      _focusVisible={{ top: '2' }}
    >
      Skip to content
    </Link>
  );
}
