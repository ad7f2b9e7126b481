'use client';

import { Field } from '@chakra-ui/react';
import type { ReactNode } from 'react';

// The forms' field (sign in and up, sell and edit), apart from ui.tsx: every page loads ui.tsx,
// and Chakra's Field brings Ark UI's field machinery, which only the forms need.

/** A labelled form field with its error (from the client check or the API's `field`). */
export function FormField({
  label,
  error,
  helper,
  required = false,
  children,
}: {
  label: string;
  error?: string | undefined;
  helper?: string;
  required?: boolean;
  children: ReactNode;
}) {
  return (
    <Field.Root invalid={Boolean(error)} required={required}>
      <Field.Label>
        {label}
        {required ? <Field.RequiredIndicator /> : null}
      </Field.Label>
      {children}
      {helper && !error ? <Field.HelperText>{helper}</Field.HelperText> : null}
      {error ? <Field.ErrorText>{error}</Field.ErrorText> : null}
    </Field.Root>
  );
}
