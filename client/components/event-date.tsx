'use client';

import { Text, type TextProps } from '@chakra-ui/react';
import { formatDate, formatEventDate } from '@/lib/format';
import { useHydrated } from '@/lib/hooks';

/**
 * When an event starts, in the reader's own language and time zone.
 *
 * The server knows neither, so its HTML (and the hydration that must match
 * it) carries the instant in a `<time dateTime>` with a UTC text
 * (`Jun 5, 2027, 18:00 UTC`); right after hydration the browser writes it
 * its own way (`Sat, Jun 5, 2027, 8:00 PM`). A render that is not a hydration
 * (a client-side navigation) writes the local form at once.
 */
export function EventDate({ iso, ...rest }: { iso: string } & TextProps) {
  const hydrated = useHydrated();
  return (
    <Text asChild {...rest}>
      <time dateTime={iso}>{hydrated ? formatEventDate(iso) : formatDate(iso)}</time>
    </Text>
  );
}
