import type { FunctionComponent, ReactNode } from 'react';

/** Opaque here: the page hands it to UnifiedThemeProvider only. */
type UnifiedTheme = { readonly __unifiedTheme: unique symbol };
export const themes: { light: UnifiedTheme; dark: UnifiedTheme };
export const UnifiedThemeProvider: FunctionComponent<{ theme: UnifiedTheme; children?: ReactNode }>;
