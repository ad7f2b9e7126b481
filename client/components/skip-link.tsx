'use client';

import { SkipNavLink } from '@chakra-ui/react';

/** Keyboard users jump past the header to <main id="main">; visible only while focused. */
export function SkipLink() {
  return (
    <SkipNavLink id="main" zIndex="skipNav" boxShadow="md">
      Skip to content
    </SkipNavLink>
  );
}
