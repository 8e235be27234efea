import { createElement, lazy, type ComponentType } from 'react';
import {
  ExtensionBoundary,
  createExtension,
  createExtensionDataRef,
  createFrontendModule,
  type ExtensionDefinition,
  type FrontendModule,
} from '@backstage/frontend-plugin-api';
import type { SignInPageProps } from '@backstage/core-plugin-api';
import { createSpectroCloudSignInProvider, type SpectroCloudSignInProviderConfig } from '../frontend/factory';

/**
 * What `SignInPageBlueprint` outputs, by its id: the blueprint lives in
 * frontend-plugin-api up to 0.17 and in @backstage/plugin-app-react from 0.18,
 * while the app root's `signInPage` input has matched this id on every line.
 */
export const signInPageComponent = createExtensionDataRef<ComponentType<SignInPageProps>>().with({
  id: 'core.sign-in-page.component',
});

/**
 * Options of {@link createSpectroCloudSignInPageModule}.
 *
 * @alpha
 */
export interface SpectroCloudSignInPageOptions {
  /**
   * The providers of Backstage's `SignInPage`, in order; defaults to SpectroCloud
   * alone. E.g. `['guest', createSpectroCloudSignInProvider()]` also offers guest access.
   */
  providers?: ReadonlyArray<'guest' | SpectroCloudSignInProviderConfig>;
  /** Sign in without a click when a session exists (after a reload); default `true`. */
  auto?: boolean;
  /** The page's title; defaults to the app's. */
  title?: string;
}

/** The sign-in page extension; in the app plugin's module below it is `sign-in-page:app`. */
export function signInPageExtension(options: SpectroCloudSignInPageOptions = {}): ExtensionDefinition {
  const { providers = [createSpectroCloudSignInProvider()], auto = true, title } = options;
  return createExtension({
    kind: 'sign-in-page',
    attachTo: { id: 'app/root', input: 'signInPage' },
    output: [signInPageComponent],
    factory({ node }) {
      // core-components is loaded with the page, not with the app's first bundle.
      const Page = lazy(async () => {
        const { SignInPage } = await import('@backstage/core-components');
        const page = (props: SignInPageProps) => createElement(SignInPage, { ...props, providers: [...providers], auto, title });
        return { default: page };
      });
      return [signInPageComponent((props: SignInPageProps) => createElement(ExtensionBoundary, { node, children: createElement(Page, props) }))];
    },
  }) as ExtensionDefinition;
}

/**
 * A module of the app plugin whose sign-in page (`sign-in-page:app`) is
 * Backstage's `SignInPage` listing SpectroCloud (and the providers given):
 * `createSpectroCloudSignInPageModule()` in `createApp({ features })`. One name
 * with or without options, as `createFrontendModule` reads in Backstage's own
 * sign-in page recipe (a constant for the default was a second name for the same call).
 *
 * @alpha
 */
export function createSpectroCloudSignInPageModule(options: SpectroCloudSignInPageOptions = {}): FrontendModule {
  return createFrontendModule({ pluginId: 'app', extensions: [signInPageExtension(options)] });
}
