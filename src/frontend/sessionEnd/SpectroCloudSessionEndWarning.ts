import { createElement, type ReactElement } from 'react';
import { SessionEndBanner } from './SessionEndBanner';
import { useSessionEndWarning, type SpectroCloudSessionEndWarningProps } from './useSessionEndWarning';

export type { SpectroCloudSessionEndWarningProps };

/**
 * Warns once, ahead of the end of the SpectroCloud session (which nothing
 * renews silently: SpectroCloud has no refresh grant), offers to renew it in
 * place (the sign-in popup; the page and its state stay), and says so when
 * it ended. One decision for all tabs of the app. Renders nothing while the
 * session is far from its end or renews silently (a standard IdP). Drawn with
 * Material UI v4 in the app's theme (place it inside the app's theme, e.g.
 * inside `AppRouter`); `.../alpha`'s module renders this same component.
 *
 * @public
 */
export function SpectroCloudSessionEndWarning(props: SpectroCloudSessionEndWarningProps): ReactElement | null {
  return createElement(SessionEndBanner, useSessionEndWarning(props));
}
