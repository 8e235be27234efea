/**
 * The legacy app's one line, `<SpectroCloudSessionEndWarning />` inside the
 * app's API provider and theme (as in App.tsx, inside AppRouter: createApp's
 * AppThemeProvider renders Backstage's light theme), mounted on the test page
 * with `?sessionEnd=<lead time in seconds>`.
 */
import { createElement, type FunctionComponent, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiProvider } from '@backstage/core-app-api';
import type { ApiHolder } from '@backstage/core-plugin-api';
import { SpectroCloudSessionEndWarning } from '../../../src/frontend';
import { UnifiedThemeProvider, themes } from './backstageTheme.mjs';

export function mountSessionEndWarning(apis: ApiHolder, leadTimeSeconds: number): void {
  const container = document.getElementById('session-end');
  if (!container) throw new Error('the test page has no #session-end element');
  // core-app-api is typed against another @types/react copy than this package's devDependency.
  const Provider = ApiProvider as unknown as FunctionComponent<{ apis: ApiHolder; children?: ReactNode }>;
  createRoot(container).render(
    createElement(Provider, { apis }, createElement(UnifiedThemeProvider, { theme: themes.light }, createElement(SpectroCloudSessionEndWarning, { leadTimeSeconds }))),
  );
}
