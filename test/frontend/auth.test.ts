// @vitest-environment jsdom
// core-app-api is a browser library: from 1.20.7 its /refresh reads `window.navigator.locks` (cross-tab
// refresh lock) before fetching, so in plain Node (no `window`) it throws before any request and the
// session stays empty. jsdom gives it the window a browser has; fetch stays Node's, to the real loopback backend.
import { afterEach, describe, expect, it } from 'vitest';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { OAuthRequestManager } from '@backstage/core-app-api';
import { ConfigReader } from '@backstage/config';
import { SessionState, configApiRef, discoveryApiRef, oauthRequestApiRef, type PendingOAuthRequest } from '@backstage/core-plugin-api';
import {
  SpectroCloudIcon,
  createSpectroCloudAuth,
  spectroCloudAuthApiFactory,
  spectroCloudAuthApiRef,
  spectroCloudSignInProvider,
} from '../../src/frontend';
import { jwtWithHeader, startLoopbackServer } from '../support/loopback';
import { registerSecret } from '../support/secrets';

type Server = Awaited<ReturnType<typeof startLoopbackServer>>;
let server: Server | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function discoveryFor(baseUrl: string) {
  return { getBaseUrl: async (pluginId: string) => `${baseUrl}/api/${pluginId}` };
}

function nextAuthRequests(manager: OAuthRequestManager): Promise<PendingOAuthRequest[]> {
  return new Promise(resolve => {
    const subscription = manager.authRequest$().subscribe(requests => {
      if (requests.length > 0) {
        subscription.unsubscribe();
        resolve(requests);
      }
    });
  });
}

describe('spectroCloudAuthApiRef', () => {
  it('has the id core.auth.spectrocloud', () => {
    expect(spectroCloudAuthApiRef.id).toBe('core.auth.spectrocloud');
  });
});

describe('spectroCloudSignInProvider', () => {
  it('is the SignInPage entry for SpectroCloud', () => {
    expect(spectroCloudSignInProvider).toEqual({
      id: 'spectrocloud-auth-provider',
      title: 'SpectroCloud',
      message: 'Sign in using SpectroCloud',
      apiRef: spectroCloudAuthApiRef,
    });
  });
});

describe('spectroCloudAuthApiFactory', () => {
  it('provides spectroCloudAuthApiRef from discovery, OAuth requests and config', () => {
    expect(spectroCloudAuthApiFactory.api).toBe(spectroCloudAuthApiRef);
    expect(spectroCloudAuthApiFactory.deps).toEqual({
      discoveryApi: discoveryApiRef,
      oauthRequestApi: oauthRequestApiRef,
      configApi: configApiRef,
    });
  });

  it('builds a client for provider spectrocloud that asks the user through the OAuth request API', async () => {
    server = await startLoopbackServer((_request, response) => {
      response.writeHead(401, { 'content-type': 'application/json' });
      response.end('{"error":{"name":"AuthenticationError","message":"no session"}}');
    });
    const oauthRequestApi = new OAuthRequestManager();
    const api = spectroCloudAuthApiFactory.factory({
      discoveryApi: discoveryFor(server.baseUrl),
      oauthRequestApi,
      configApi: new ConfigReader({ auth: { environment: 'production' } }),
    });

    const requests = nextAuthRequests(oauthRequestApi);
    const signIn = api.signIn();
    const [request] = await requests;
    expect(request.provider).toMatchObject({ id: 'spectrocloud', title: 'SpectroCloud' });
    request.reject();
    await expect(signIn).rejects.toMatchObject({ name: 'RejectedError' });

    // Before asking the user, the client tried to recover a session from the backend.
    expect(server.requests).toHaveLength(1);
    const refresh = new URL(server.requests[0].url, server.baseUrl);
    expect(refresh.pathname).toBe('/api/auth/spectrocloud/refresh');
    expect(refresh.searchParams.get('env')).toBe('production');
    expect(refresh.searchParams.get('scope')).toBe('openid profile email');
    expect(server.requests[0].headers['x-requested-with']).toBe('XMLHttpRequest');
  });
});

describe('createSpectroCloudAuth', () => {
  it('uses the development environment when config names none', async () => {
    server = await startLoopbackServer((_request, response) => {
      response.writeHead(401);
      response.end();
    });
    const api = createSpectroCloudAuth({
      discoveryApi: discoveryFor(server.baseUrl),
      oauthRequestApi: new OAuthRequestManager(),
      configApi: new ConfigReader({}),
    });
    await expect(api.getProfile({ optional: true })).resolves.toBeUndefined();
    expect(new URL(server.requests[0].url, server.baseUrl).searchParams.get('env')).toBe('development');
  });

  it('recovers a session through /refresh and serves its ID token, profile and identity', async () => {
    const idToken = jwtWithHeader({ alg: 'RS256', kid: 'k1' });
    const backstageToken = jwtWithHeader({ alg: 'ES256' }, { sub: 'user:default/jane' });
    registerSecret(idToken);
    registerSecret(backstageToken);
    server = await startLoopbackServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          providerInfo: { idToken, accessToken: 'opaque-access', scope: 'openid profile email', expiresInSeconds: 3600 },
          profile: { email: 'jane@example.com', displayName: 'Jane Doe' },
          backstageIdentity: {
            token: backstageToken,
            expiresInSeconds: 3600,
            identity: { type: 'user', userEntityRef: 'user:default/jane', ownershipEntityRefs: ['user:default/jane'] },
          },
        }),
      );
    });
    const api = createSpectroCloudAuth({
      discoveryApi: discoveryFor(server.baseUrl),
      oauthRequestApi: new OAuthRequestManager(),
      configApi: new ConfigReader({}),
    });
    const states: SessionState[] = [];
    api.sessionState$().subscribe(state => states.push(state));

    const identity = await api.getBackstageIdentity({ optional: true });
    expect(identity?.identity.userEntityRef).toBe('user:default/jane');
    expect(await api.getIdToken()).toBe(idToken);
    expect(await api.getProfile()).toEqual({ email: 'jane@example.com', displayName: 'Jane Doe' });
    expect(states).toEqual([SessionState.SignedOut, SessionState.SignedIn]);
    expect(server.requests).toHaveLength(1);
  });

  it('signs out through the backend /logout endpoint', async () => {
    server = await startLoopbackServer((_request, response) => {
      response.writeHead(200);
      response.end();
    });
    const api = createSpectroCloudAuth({
      discoveryApi: discoveryFor(server.baseUrl),
      oauthRequestApi: new OAuthRequestManager(),
      configApi: new ConfigReader({}),
    });
    await api.signOut();
    expect(server.requests.map(r => `${r.method} ${new URL(r.url, server!.baseUrl).pathname}`)).toEqual([
      'POST /api/auth/spectrocloud/logout',
    ]);
  });
});

describe('SpectroCloudIcon', () => {
  it('renders an inline SVG sized like a Material icon', () => {
    const markup = renderToStaticMarkup(createElement(SpectroCloudIcon, { fontSize: 'large' }));
    expect(markup).toMatch(/^<svg [^>]*viewBox="0 0 24 24"/);
    expect(markup).toContain('width="2.1875rem"');
    expect(markup).toContain('aria-hidden="true"');
  });
});
