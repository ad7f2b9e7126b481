'use client';

import { chakra, useRecipe, useSlotRecipe, type HTMLChakraProps } from '@chakra-ui/react';
import { useId, type ReactNode } from 'react';

/**
 * Labelled controls for the search page, styled by the theme's own `field`,
 * `input` and `nativeSelect` recipes on plain elements. Chakra's `Field`,
 * `Input` and `NativeSelect` components run on Ark UI's field machinery
 * (about 5 kB gzipped), which the page has no other use for: here a label, an
 * `id` and `aria-describedby` do the same.
 */

export interface ControlIds {
  id: string;
  'aria-describedby': string | undefined;
  'aria-invalid': true | undefined;
}

/** A label above a control, and the control's error under it; `children` receives the control's ids. */
export function PlainField({
  label,
  error,
  hideLabel = false,
  children,
}: {
  label: string;
  error: string | undefined;
  hideLabel?: boolean;
  children: (ids: ControlIds) => ReactNode;
}) {
  const id = useId();
  const styles = useSlotRecipe({ key: 'field' })({});
  const errorId = `${id}-error`;
  return (
    <chakra.div
      css={[styles.root, { flexDirection: 'column', alignItems: 'stretch' }]}
      data-invalid={error ? '' : undefined}
    >
      <chakra.label htmlFor={id} css={styles.label} srOnly={hideLabel}>
        {label}
      </chakra.label>
      {children({ id, 'aria-describedby': error ? errorId : undefined, 'aria-invalid': error ? true : undefined })}
      {error ? (
        <chakra.div id={errorId} css={styles.errorText}>
          {error}
        </chakra.div>
      ) : null}
    </chakra.div>
  );
}

type Size = 'md' | 'lg';

/** An `<input>` as the theme draws Chakra's `Input`. */
export function PlainInput({ size = 'md', css, ...rest }: HTMLChakraProps<'input'> & { size?: Size }) {
  const styles = useRecipe({ key: 'input' })({ size });
  return <chakra.input css={[styles, { bg: 'white', minW: '0' }, css]} {...rest} />;
}

/** A `<select>` with its chevron, as the theme draws Chakra's `NativeSelect`. */
export function PlainSelect({ css, children, ...rest }: HTMLChakraProps<'select'>) {
  const styles = useSlotRecipe({ key: 'nativeSelect' })({});
  return (
    <chakra.div css={styles.root}>
      <chakra.select css={[styles.field, { bg: 'white' }, css]} {...rest}>
        {children}
      </chakra.select>
      <chakra.div css={styles.indicator} aria-hidden="true">
        <svg viewBox="0 0 24 24" width="1em" height="1em" fill="none" stroke="currentColor" strokeWidth="2">
          <path d="m6 9 6 6 6-6" />
        </svg>
      </chakra.div>
    </chakra.div>
  );
}
