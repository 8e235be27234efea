// @vitest-environment jsdom
// core-app-api is a browser library: from 1.20.7 its /refresh reads `window.navigator.locks` before fetching.
// jsdom gives it a window (whose window.open opens nothing: the popup is refused, PopupRejectedError);
// fetch stays Node's, to the real loopback backend.
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigReader } from '@backstage/config';
import { OAuth2 as OAuth2Newest, OAuthRequestManager as OAuthRequestManagerNewest } from '@backstage/core-app-api-next';
import { createSessionlessClient } from '../../src/frontend/sessionlessClient';
import { jwtWithHeader, startLoopbackServer } from '../support/loopback';
import { registerSecret } from '../support/secrets';

/*
 * Re-authentication signs in with a client that holds no session (src/frontend/sessionlessClient.ts). From
 * core-app-api 1.18, an instant-popup sign-in tries `/refresh` first, and the refresh cookie would answer with
 * the very session being renewed: that client must refuse `/refresh` and go to the popup. The package builds
 * with 1.16, which has no such step, so these tests run the client on the newest line (1.20, installed as
 * @backstage/core-app-api-next).
 */
type Server = Awaited<ReturnType<typeof startLoopbackServer>>;
let server: Server | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A backend whose `/refresh` answers with alice's session (the session a re-authentication renews). */
async function backendWithSession(): Promise<Server> {
  const idToken = jwtWithHeader({ alg: 'RS256', kid: 'k1' }, { sub: 'alice' });
  const backstageToken = jwtWithHeader({ alg: 'ES256' }, { sub: 'user:default/alice' });
  registerSecret(idToken);
  registerSecret(backstageToken);
  const session = {
    providerInfo: { idToken, accessToken: 'opaque-access', scope: 'openid profile email', expiresInSeconds: 3600 },
    profile: { email: 'alice@example.com', displayName: 'alice' },
    backstageIdentity: {
      token: backstageToken,
      expiresInSeconds: 3600,
      identity: { type: 'user' as const, userEntityRef: 'user:default/alice', ownershipEntityRefs: ['user:default/alice'] },
    },
  };
  server = await startLoopbackServer((request, response) => {
    const ok = new URL(request.url, 'http://x').pathname.endsWith('/refresh');
    response.writeHead(ok ? 200 : 404, { 'content-type': 'application/json' });
    response.end(ok ? JSON.stringify(session) : '{}');
  });
  return server;
}

function clientOptions(backend: Server) {
  return {
    discoveryApi: { getBaseUrl: async (pluginId: string) => `${backend.baseUrl}/api/${pluginId}` },
    configApi: new ConfigReader({}),
    provider: { id: 'spectrocloud', title: 'SpectroCloud', icon: () => null },
    environment: 'development',
    defaultScopes: ['openid', 'profile', 'email'],
  };
}

const newestLine = { OAuth2: OAuth2Newest, OAuthRequestManager: OAuthRequestManagerNewest } as unknown as Parameters<typeof createSessionlessClient>[1];

describe('the fresh sign-in client on core-app-api 1.20', () => {
  it("core-app-api's own client answers an instant-popup sign-in from /refresh (control: what the refusal is for)", async () => {
    const backend = await backendWithSession();
    const stock = OAuth2Newest.create({ ...clientOptions(backend), oauthRequestApi: new OAuthRequestManagerNewest() });
    const identity = await stock.getBackstageIdentity({ instantPopup: true, optional: false });
    expect(identity?.identity.userEntityRef).toBe('user:default/alice');
    expect(backend.requests.map(r => new URL(r.url, 'http://x').pathname)).toEqual(['/api/auth/spectrocloud/refresh']);
  });

  it('refuses /refresh and goes to the popup (refused here: jsdom opens none)', async () => {
    const backend = await backendWithSession();
    const client = createSessionlessClient(clientOptions(backend), newestLine);
    await expect(client.getBackstageIdentity({ instantPopup: true, optional: false })).rejects.toMatchObject({ name: 'PopupRejectedError' });
    expect(backend.requests).toEqual([]);
  });
});
