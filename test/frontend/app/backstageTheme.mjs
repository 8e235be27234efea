// Backstage's own theme for the legacy test page, as a legacy app's createApp provides it (AppThemeProvider renders
// UnifiedThemeProvider with themes.light). build.mjs points '@backstage/theme' at the copy core-components uses: this
// package has no dependency of its own on it, and the page then has one Material UI theme context, the app's.
export { UnifiedThemeProvider, themes } from '@backstage/theme';
