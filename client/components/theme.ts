import { createSystem, defaultBaseConfig, defineConfig } from '@chakra-ui/react';
import {
  alertSlotRecipe,
  animationStyles,
  breakpoints,
  cssVarsPrefix,
  cssVarsRoot,
  globalCss,
  keyframes,
  layerStyles,
  semanticTokens,
  textStyles,
  tokens,
  badgeRecipe,
  buttonRecipe,
  cardSlotRecipe,
  containerRecipe,
  dialogSlotRecipe,
  emptyStateSlotRecipe,
  fieldSlotRecipe,
  headingRecipe,
  inputRecipe,
  linkRecipe,
  nativeSelectSlotRecipe,
  radiomarkRecipe,
  radioGroupSlotRecipe,
  skeletonRecipe,
  skipNavLinkRecipe,
  spinnerRecipe,
  textareaRecipe,
} from '@chakra-ui/react/theme';

const SYSTEM_FONTS = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

/**
 * Chakra's default theme (tokens, global styles) with only the recipes this app
 * renders: `defaultConfig` ships every component's styles, about 50 kB of
 * gzipped JavaScript on every page. A component added to the app needs its
 * recipe added here, or it renders unstyled.
 */
const theme = defineConfig({
  preflight: true,
  cssVarsPrefix,
  cssVarsRoot,
  globalCss,
  theme: {
    breakpoints,
    keyframes,
    tokens,
    semanticTokens,
    textStyles,
    layerStyles,
    animationStyles,
    recipes: {
      badge: badgeRecipe,
      button: buttonRecipe,
      container: containerRecipe,
      heading: headingRecipe,
      input: inputRecipe,
      link: linkRecipe,
      radiomark: radiomarkRecipe,
      skeleton: skeletonRecipe,
      skipNavLink: skipNavLinkRecipe,
      spinner: spinnerRecipe,
      textarea: textareaRecipe,
    },
    slotRecipes: {
      alert: alertSlotRecipe,
      card: cardSlotRecipe,
      dialog: dialogSlotRecipe,
      emptyState: emptyStateSlotRecipe,
      field: fieldSlotRecipe,
      nativeSelect: nativeSelectSlotRecipe,
      radioGroup: radioGroupSlotRecipe,
    },
  },
});

/** GitTix's own choices on top. */
const brand = defineConfig({
  theme: {
    tokens: {
      // System fonts only: nothing may be fetched from the internet.
      fonts: { heading: { value: SYSTEM_FONTS }, body: { value: SYSTEM_FONTS } },
    },
    // Contrast (WCAG AA, 4.5:1): Chakra's teal.600 button and red.500 error text on a light
    // background measure about 3.7:1; one step darker passes.
    semanticTokens: {
      colors: {
        teal: { solid: { value: '{colors.teal.700}' } },
        fg: {
          error: { value: '{colors.red.700}' },
          warning: { value: '{colors.orange.700}' },
          success: { value: '{colors.green.700}' },
          info: { value: '{colors.blue.700}' },
        },
      },
    },
  },
  globalCss: {
    body: { bg: 'gray.50', color: 'gray.900' },
  },
});

export const system = createSystem(defaultBaseConfig, theme, brand);
