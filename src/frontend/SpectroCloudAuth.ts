import { OAuth2, type PopupOptions } from '@backstage/core-app-api';
import type { ConfigApi, DiscoveryApi, OAuthRequestApi } from '@backstage/core-plugin-api';
import type { SpectroCloudAuthApi } from './apiRef';
import { SpectroCloudIcon } from './SpectroCloudIcon';

/**
 * Options of {@link createSpectroCloudAuth}.
 *
 * @public
 */
export interface SpectroCloudAuthOptions {
  discoveryApi: DiscoveryApi;
  oauthRequestApi: OAuthRequestApi;
  /** Reads `auth.environment` and `enableExperimentalRedirectFlow`. */
  configApi?: ConfigApi;
  /** Defaults to `auth.environment`, else `development`. */
  environment?: string;
  /** Defaults to `openid profile email`. */
  defaultScopes?: string[];
  /** Defaults to a fullscreen popup. */
  popupOptions?: PopupOptions;
}

/** The provider id must match the backend provider: `/api/auth/spectrocloud/...`. */
const provider = { id: 'spectrocloud', title: 'SpectroCloud', icon: SpectroCloudIcon };

/**
 * Builds the SpectroCloud auth API on Backstage's own `OAuth2` client, so the
 * popup, the `/refresh` session recovery and the session state behave exactly
 * like the built-in providers.
 *
 * @public
 */
export function createSpectroCloudAuth(options: SpectroCloudAuthOptions): SpectroCloudAuthApi {
  const { configApi } = options;
  return OAuth2.create({
    discoveryApi: options.discoveryApi,
    oauthRequestApi: options.oauthRequestApi,
    configApi,
    provider,
    environment: options.environment ?? configApi?.getOptionalString('auth.environment') ?? 'development',
    defaultScopes: options.defaultScopes ?? ['openid', 'profile', 'email'],
    popupOptions: options.popupOptions ?? { size: { fullscreen: true } },
  });
}

