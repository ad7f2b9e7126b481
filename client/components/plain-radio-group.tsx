'use client';

import { chakra, Stack, useSlotRecipe } from '@chakra-ui/react';

/**
 * Radio buttons as the theme draws Chakra's `RadioGroup` (its `radioGroup`
 * recipe), on native inputs in a fieldset. Chakra's component runs Zag's
 * radio-group state machine, about 9 kB of gzipped JavaScript on the page;
 * the browser already does what it does here: one choice per `name`, arrow
 * keys, the group's name from its legend, and `disabled` for all at once.
 */
export function PlainRadioGroup<T extends string>({
  label,
  name,
  value,
  options,
  onChange,
  disabled = false,
  colorPalette,
}: {
  label: string;
  name: string;
  value: T;
  options: readonly { value: T; label: string }[];
  onChange: (value: T) => void;
  disabled?: boolean;
  colorPalette?: string;
}) {
  const styles = useSlotRecipe({ key: 'radioGroup' })({});
  return (
    <chakra.fieldset disabled={disabled} colorPalette={colorPalette} border="0" p="0" m="0" minW="0">
      <chakra.legend css={styles.label} fontWeight="semibold" mb="2" p="0">
        {label}
      </chakra.legend>
      <Stack gap="2">
        {options.map((option) => {
          const checked = option.value === value;
          return (
            <chakra.label key={option.value} css={styles.item} data-disabled={disabled ? '' : undefined}>
              <chakra.input
                type="radio"
                name={name}
                value={option.value}
                checked={checked}
                onChange={() => onChange(option.value)}
                srOnly
              />
              <chakra.span
                aria-hidden="true"
                css={[
                  styles.itemControl,
                  // The recipe rings the control on [data-focus-visible]; here the input before it has the focus.
                  {
                    'input:focus-visible + &': {
                      outline: '2px solid',
                      outlineColor: 'colorPalette.focusRing',
                      outlineOffset: '2px',
                    },
                  },
                ]}
                data-state={checked ? 'checked' : 'unchecked'}
                data-disabled={disabled ? '' : undefined}
              >
                {checked ? <span className="dot" /> : null}
              </chakra.span>
              <span>{option.label}</span>
            </chakra.label>
          );
        })}
      </Stack>
    </chakra.fieldset>
  );
}
