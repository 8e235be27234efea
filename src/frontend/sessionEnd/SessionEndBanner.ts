import { createElement, type ReactElement } from 'react';
// Named imports from the package's index: a path module's default export (@material-ui/core/Button) can resolve to
// its CommonJS index.js, whose default under Node-style interop (vitest; esbuild for a `type: module` package) is
// module.exports, an object, not the component. Bundlers tree-shake the index (MUI declares no side effects).
import { Button, Snackbar, SnackbarContent, useTheme, type Theme } from '@material-ui/core';
import type { SessionEndNotice } from './SessionEndWatch';
import { sessionEndText } from './sessionEndText';

export interface SessionEndBannerProps {
  notice: SessionEndNotice;
  /** a renewal or sign-in is running: its button is disabled */
  busy: boolean;
  /** why the last renewal did not complete, in words for the user */
  problem?: string;
  onRenew: () => void;
  onDismiss: () => void;
}

/** Backstage's themes add banner colours to Material UI's palette (what its DismissableBanner draws with). */
type BackstagePalette = Theme['palette'] & { banner?: { warning?: string; error?: string; text?: string } };

/**
 * The warning and the final notice of both frontend systems, drawn as
 * Backstage draws its own banners (core-components' DismissableBanner):
 * Material UI's Snackbar at the bottom, in the app theme's banner colours
 * (light and dark), its buttons MUI's. `role="alert"` (SnackbarContent's)
 * with `aria-live` announces them as they appear; focus stays where the user
 * is, and both buttons are in the tab order. Material UI v4 comes with every
 * app (`@backstage/core-components` depends on it; generated apps list it):
 * an optional peer, never bundled here.
 */
export function SessionEndBanner(props: SessionEndBannerProps): ReactElement | null {
  const { notice, busy, problem, onRenew, onDismiss } = props;
  const palette = useTheme<Theme>().palette as BackstagePalette;
  if (notice.kind === 'none') return null;
  const text = sessionEndText(notice);
  const background =
    notice.kind === 'warning'
      ? (palette.banner?.warning ?? palette.banner?.error ?? palette.warning.main)
      : (palette.banner?.error ?? palette.error.main);
  const color = palette.banner?.text ?? palette.getContrastText(background);
  return createElement(
    Snackbar,
    { open: true, anchorOrigin: { vertical: 'bottom', horizontal: 'center' } },
    createElement(SnackbarContent, {
      role: 'alert',
      'aria-live': 'assertive',
      // Passed on to the element: an app's stylesheet or test can single the notice out.
      ...{ 'data-spectrocloud-session-end': notice.kind },
      style: { backgroundColor: background, color },
      message: createElement(
        'span',
        null,
        text.message,
        problem ? createElement('span', { role: 'status', style: { display: 'block', marginTop: 4 } }, problem) : null,
      ),
      action: [
        createElement(Button, { key: 'renew', color: 'inherit', variant: 'outlined', size: 'small', onClick: onRenew, disabled: busy }, text.renew),
        createElement(Button, { key: 'dismiss', color: 'inherit', size: 'small', onClick: onDismiss, disabled: busy }, 'Dismiss'),
      ],
    }),
  );
}
