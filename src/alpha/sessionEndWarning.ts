import { createElement } from 'react';
import {
  ExtensionBoundary,
  coreExtensionData,
  createExtension,
  createFrontendModule,
  type ExtensionDefinition,
  type FrontendModule,
} from '@backstage/frontend-plugin-api';
import type { SpectroCloudSessionEndWarningProps } from '../frontend/sessionEnd/useSessionEndWarning';
// The legacy app's component itself: one drawing (Material UI in the app's theme) for both frontend systems.
import { SpectroCloudSessionEndWarning } from '../frontend/sessionEnd/SpectroCloudSessionEndWarning';

/**
 * The warning as an element of the app's root (`app-root-element:app/spectrocloud-session-end`),
 * rendered beside the routes, so it stays while the user moves between pages.
 * Options come from code, not app-config: the config schema API changed
 * between the supported frontend-plugin-api lines (0.10's `config.schema`,
 * 0.18's `configSchema`).
 */
export function sessionEndWarningExtension(options: SpectroCloudSessionEndWarningProps = {}): ExtensionDefinition {
  return createExtension({
    kind: 'app-root-element',
    name: 'spectrocloud-session-end',
    attachTo: { id: 'app/root', input: 'elements' },
    output: [coreExtensionData.reactElement],
    factory({ node }) {
      const warning = createElement(SpectroCloudSessionEndWarning, options);
      return [coreExtensionData.reactElement(createElement(ExtensionBoundary, { node, children: warning }))];
    },
  }) as ExtensionDefinition;
}

/**
 * The warning before the SpectroCloud session ends, with renewal in place and
 * the final notice, on every page of the app: `createSpectroCloudSessionEndWarningModule()`
 * in `createApp({ features })`, with {@link SpectroCloudSessionEndWarningProps}
 * as options (e.g. `leadTimeSeconds`). One name with or without options, as
 * for the sign-in page module.
 *
 * @alpha
 */
export function createSpectroCloudSessionEndWarningModule(options: SpectroCloudSessionEndWarningProps = {}): FrontendModule {
  return createFrontendModule({ pluginId: 'app', extensions: [sessionEndWarningExtension(options)] });
}
