// @vitest-environment jsdom
// core-app-api is a browser library: from 1.20.7 its /refresh reads `window.navigator.locks` (cross-tab
// refresh lock) before fetching, so in plain Node (no `window`) it throws before any request and the
// session stays empty. jsdom gives it the window a browser has; fetch stays Node's, to the real loopback backend.
/**
 * The SpectroCloud auth API around core-app-api's real OAuth2 and
 * OAuthRequestManager, against a loopback backend: re-authentication beside the
 * session, sign-out through SpectroCloud's end-session URL, several tenants.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiFactoryRegistry, ApiResolver, OAuthRequestManager } from '@backstage/core-app-api';
import { ConfigReader } from '@backstage/config';
import {
  SessionState,
  configApiRef,
  createApiFactory,
  createApiRef,
  discoveryApiRef,
  oauthRequestApiRef,
  type BackstageIdentityResponse,
  type PendingOAuthRequest,
} from '@backstage/core-plugin-api';
import {
  SpectroCloudAuth,
  SpectroCloudReAuthError,
  createSpectroCloudAuth,
  createSpectroCloudAuthApiFactory,
  createSpectroCloudSignInProvider,
  spectroCloudAuthApiRef,
  type SpectroCloudAuthApi,
} from '../../src/frontend';
import { FreshSignIn } from '../../src/frontend/freshSignIn';
import { jwtWithHeader, startLoopbackServer, type RecordedRequest } from '../support/loopback';
import { registerSecret } from '../support/secrets';

type Server = Awaited<ReturnType<typeof startLoopbackServer>>;
let server: Server | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const END_SESSION_URL =
  'http://127.0.0.1:9/v1/oidc/tenant/t1/end_session?id_token_hint=hint-not-a-secret&post_logout_redirect_uri=http%3A%2F%2Flocalhost%3A3000&client_id=backstage';

/** The session JSON the backend answers `/refresh` and `/handler/frame` with. */
function backendSession(user: string, providerInfo: Record<string, unknown> = {}) {
  const idToken = jwtWithHeader({ alg: 'RS256', kid: 'k1' }, { sub: user });
  const backstageToken = jwtWithHeader({ alg: 'ES256' }, { sub: `user:default/${user}` });
  registerSecret(idToken);
  registerSecret(backstageToken);
  return {
    providerInfo: { idToken, accessToken: 'opaque-access', scope: 'openid profile email', expiresInSeconds: 3600, ...providerInfo },
    profile: { email: `${user}@example.com`, displayName: user },
    backstageIdentity: {
      token: backstageToken,
      expiresInSeconds: 3600,
      identity: { type: 'user' as const, userEntityRef: `user:default/${user}`, ownershipEntityRefs: [`user:default/${user}`] },
    },
  };
}

function identityOf(user: string): BackstageIdentityResponse {
  const { backstageIdentity } = backendSession(user);
  return { token: backstageIdentity.token, identity: backstageIdentity.identity };
}

/** A backend whose `/refresh` answers with `session`, and whose `/logout` answers `logoutStatus`. */
async function startBackend(session: object | (() => object), logoutStatus = 200): Promise<Server> {
  server = await startLoopbackServer((request, response) => {
    const { pathname } = new URL(request.url, 'http://x');
    if (pathname.endsWith('/refresh')) {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(typeof session === 'function' ? session() : session));
      return;
    }
    response.writeHead(pathname.endsWith('/logout') ? logoutStatus : 404);
    response.end();
  });
  return server;
}

const paths = (requests: RecordedRequest[]) => requests.map(r => `${r.method} ${new URL(r.url, 'http://x').pathname}`);

function clientOptions(backend: Server, oauthRequestApi = new OAuthRequestManager()) {
  return {
    discoveryApi: { getBaseUrl: async (pluginId: string) => `${backend.baseUrl}/api/${pluginId}` },
    oauthRequestApi,
    configApi: new ConfigReader({}),
  };
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

function statesOf(api: SpectroCloudAuthApi): SessionState[] {
  const states: SessionState[] = [];
  api.sessionState$().subscribe(state => states.push(state));
  return states;
}

function namedError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

/**
 * The real auth API, whose new sign-in is `popupSignIn` (the popup needs a
 * browser; the browser tests run the real one): the session, the dialog and
 * the fallback are the real ones.
 */
function authWithPopup(backend: Server, manager: OAuthRequestManager, popupSignIn: () => Promise<BackstageIdentityResponse | undefined>) {
  const freshSignIn = new FreshSignIn({
    provider: { id: 'spectrocloud', title: 'SpectroCloud', icon: () => null },
    oauthRequestApi: manager,
    scopes: ['openid', 'profile', 'email'],
    newSessionlessClient: () => ({ getBackstageIdentity: popupSignIn }),
  });
  return new SpectroCloudAuth({
    // The session engine SpectroCloudAuth.create builds (it only delegates to it).
    session: createSpectroCloudAuth(clientOptions(backend, manager)),
    newSession: () => createSpectroCloudAuth(clientOptions(backend, manager)),
    signInAgain: options => freshSignIn.signIn(options),
    endSessionUrl: async () => undefined,
    navigate: () => {
      throw new Error('no navigation expected');
    },
  });
}

describe('reAuthenticate', () => {
  it('queues the new sign-in in the login-request dialog and keeps the session when the user dismisses it', async () => {
    const backend = await startBackend(backendSession('alice'));
    const manager = new OAuthRequestManager();
    const api = createSpectroCloudAuth(clientOptions(backend, manager));
    const states = statesOf(api);
    expect((await api.getBackstageIdentity({ optional: true }))?.identity.userEntityRef).toBe('user:default/alice');

    const requests = nextAuthRequests(manager);
    const reAuth = api.reAuthenticate({ instantPopup: false });
    const [request] = await requests;
    expect(request.provider).toMatchObject({ id: 'spectrocloud', title: 'SpectroCloud' });
    request.reject();
    await expect(reAuth).rejects.toMatchObject({ name: 'RejectedError' });

    // Still signed in as before: no /logout, same identity from the cache, no new request.
    expect(paths(backend.requests)).toEqual(['GET /api/auth/spectrocloud/refresh']);
    expect((await api.getBackstageIdentity({ optional: true }))?.identity.userEntityRef).toBe('user:default/alice');
    expect(backend.requests).toHaveLength(1);
    expect(states).toEqual([SessionState.SignedOut, SessionState.SignedIn]);
  });

  it('never answers the new sign-in from /refresh: with the session cookie still valid, it goes to the popup', async () => {
    // core-app-api 1.18+ tries /refresh before an instant popup; that answer is the session being renewed.
    const backend = await startBackend(backendSession('alice'));
    const manager = new OAuthRequestManager();
    const api = createSpectroCloudAuth(clientOptions(backend, manager));
    await api.getBackstageIdentity({ optional: true });
    const opened = vi.spyOn(window, 'open'); // jsdom's own open(): it opens nothing, as a blocked popup

    const requests = nextAuthRequests(manager);
    const reAuth = api.reAuthenticate();
    // Settled either way: the dialog got the request, or the renewal resolved without a popup.
    const [request] = await Promise.race([requests, reAuth.then(() => [])]);
    expect(opened).toHaveBeenCalledTimes(1);
    expect(request?.provider.id).toBe('spectrocloud');
    const start = new URL(String(opened.mock.calls[0][0]));
    expect(start.pathname).toBe('/api/auth/spectrocloud/start');
    expect(start.searchParams.get('flow')).toBe('popup');
    request.reject();
    await expect(reAuth).rejects.toMatchObject({ name: 'RejectedError' });
    // Only the app's own session recovery reached /refresh.
    expect(paths(backend.requests)).toEqual(['GET /api/auth/spectrocloud/refresh']);
    opened.mockRestore();
  });

  it('opens the popup at once by default and resolves with the new identity, then takes the renewed session up through /refresh', async () => {
    const backend = await startBackend(backendSession('alice'));
    const manager = new OAuthRequestManager();
    const queued: PendingOAuthRequest[][] = [];
    manager.authRequest$().subscribe(requests => queued.push(requests));
    const popups: string[] = [];
    const api = authWithPopup(backend, manager, async () => {
      popups.push('popup');
      return identityOf('alice');
    });
    await api.getBackstageIdentity({ optional: true });

    const identity = await api.reAuthenticate();
    expect(identity.identity.userEntityRef).toBe('user:default/alice');
    expect(popups).toEqual(['popup']);
    expect(queued.flat()).toEqual([]);
    // The session recovered at start, then the renewed one (the sign-in's cookie) for the app.
    expect(paths(backend.requests)).toEqual(['GET /api/auth/spectrocloud/refresh', 'GET /api/auth/spectrocloud/refresh']);
  });

  it('falls back to the login-request dialog when the browser blocks the popup; the click there signs in', async () => {
    const backend = await startBackend(backendSession('alice'));
    const manager = new OAuthRequestManager();
    let attempts = 0;
    const api = authWithPopup(backend, manager, async () => {
      attempts += 1;
      // No click behind the first attempt; the dialog's button is one.
      if (attempts === 1) throw namedError('PopupRejectedError', 'Failed to open auth popup.');
      return identityOf('alice');
    });
    const states = statesOf(api);
    await api.getBackstageIdentity({ optional: true });

    const requests = nextAuthRequests(manager);
    const reAuth = api.reAuthenticate({ instantPopup: true });
    const [request] = await requests;
    expect(request.provider.id).toBe('spectrocloud');
    await request.trigger();
    expect((await reAuth).identity.userEntityRef).toBe('user:default/alice');
    expect(attempts).toBe(2);
    expect(states).toEqual([SessionState.SignedOut, SessionState.SignedIn]);
  });

  it('keeps the request in the dialog when the popup opened from it is closed, until the user dismisses it', async () => {
    const backend = await startBackend(backendSession('alice'));
    const manager = new OAuthRequestManager();
    const api = authWithPopup(backend, manager, async () => {
      throw namedError('PopupClosedError', 'Login failed, popup was closed');
    });
    await api.getBackstageIdentity({ optional: true });

    const requests = nextAuthRequests(manager);
    const reAuth = api.reAuthenticate({ instantPopup: false });
    const [request] = await requests;
    await expect(request.trigger()).rejects.toMatchObject({ name: 'PopupClosedError' });
    request.reject();
    await expect(reAuth).rejects.toMatchObject({ name: 'RejectedError' });
    expect((await api.getBackstageIdentity({ optional: true }))?.identity.userEntityRef).toBe('user:default/alice');
    expect(paths(backend.requests)).not.toContain('POST /api/auth/spectrocloud/logout');
  });

  it('signs the app out and rejects with ERR_REAUTH_USER_CHANGED when the new sign-in is for another user', async () => {
    const backend = await startBackend(backendSession('alice'));
    const api = authWithPopup(backend, new OAuthRequestManager(), async () => identityOf('bob'));
    const states = statesOf(api);
    await api.getBackstageIdentity({ optional: true });
    const error = await api.reAuthenticate().catch(e => e);
    expect(error).toBeInstanceOf(SpectroCloudReAuthError);
    expect(error).toMatchObject({ code: 'ERR_REAUTH_USER_CHANGED' });
    expect(error.message).not.toContain('bob');
    // The backend's session is the other user's now: /logout ends it, and the app holds no one.
    expect(paths(backend.requests)).toContain('POST /api/auth/spectrocloud/logout');
    expect(states).toEqual([SessionState.SignedOut, SessionState.SignedIn, SessionState.SignedOut]);
  });

  it("replaces the app's session with the renewed one for the same user, without a state change", async () => {
    const backend = await startBackend(() => backendSession('alice'));
    const api = authWithPopup(backend, new OAuthRequestManager(), async () => identityOf('alice'));
    const states = statesOf(api);
    const before = await api.getBackstageIdentity({ optional: true });
    const idTokenBefore = await api.getIdToken({ optional: true });
    await api.reAuthenticate();
    const after = await api.getBackstageIdentity({ optional: true });
    expect(after?.identity.userEntityRef).toBe('user:default/alice');
    // This backend answers each /refresh with a new session: the app now holds the one after the renewal.
    expect(after?.token).not.toBe(before?.token);
    expect(await api.getIdToken({ optional: true })).not.toBe(idTokenBefore);
    expect(paths(backend.requests).filter(p => p.endsWith('/refresh'))).toHaveLength(2);
    expect(states).toEqual([SessionState.SignedOut, SessionState.SignedIn]);
  });

  it('says so when the sign-in finished without a Backstage identity', async () => {
    const backend = await startBackend(backendSession('alice'));
    const api = authWithPopup(backend, new OAuthRequestManager(), async () => undefined);
    await expect(api.reAuthenticate()).rejects.toMatchObject({ code: 'ERR_REAUTH_FAILED' });
  });
});

describe('signOut', () => {
  function signedInApi(backend: Server, navigations: { url: string; requestsBefore: string[] }[]) {
    return createSpectroCloudAuth({
      ...clientOptions(backend),
      navigate: url => navigations.push({ url, requestsBefore: paths(backend.requests) }),
    });
  }

  it("sends the top window to SpectroCloud's end-session URL after the backend sign-out finished", async () => {
    const backend = await startBackend(backendSession('alice', { endSessionUrl: END_SESSION_URL }));
    const navigations: { url: string; requestsBefore: string[] }[] = [];
    const api = signedInApi(backend, navigations);
    await api.getBackstageIdentity({ optional: true });

    await api.signOut();
    expect(navigations).toEqual([
      {
        url: END_SESSION_URL,
        requestsBefore: [
          'GET /api/auth/spectrocloud/refresh',
          'GET /api/auth/spectrocloud/refresh',
          'POST /api/auth/spectrocloud/logout',
        ],
      },
    ]);
    // The lookup is the same request core-app-api makes: XHR header, environment, scopes.
    const lookup = new URL(backend.requests[1].url, backend.baseUrl);
    expect(lookup.searchParams.get('env')).toBe('development');
    expect(lookup.searchParams.get('scope')).toBe('openid profile email');
    expect(backend.requests[1].headers['x-requested-with']).toBe('XMLHttpRequest');
  });

  it('does nothing more than the backend sign-out when the session has no end-session URL', async () => {
    const backend = await startBackend(backendSession('alice'));
    const navigations: { url: string }[] = [];
    const api = signedInApi(backend, navigations as never);
    await api.getBackstageIdentity({ optional: true });
    await api.signOut();
    expect(navigations).toEqual([]);
    expect(paths(backend.requests).at(-1)).toBe('POST /api/auth/spectrocloud/logout');
  });

  it('never navigates to a URL that is not http(s)', async () => {
    const backend = await startBackend(backendSession('alice', { endSessionUrl: 'javascript:alert(1)' }));
    const navigations: { url: string }[] = [];
    const api = signedInApi(backend, navigations as never);
    await api.getBackstageIdentity({ optional: true });
    await api.signOut();
    expect(navigations).toEqual([]);
  });

  it('does not navigate when the backend sign-out failed', async () => {
    const backend = await startBackend(backendSession('alice', { endSessionUrl: END_SESSION_URL }), 502);
    const navigations: { url: string }[] = [];
    const api = signedInApi(backend, navigations as never);
    await api.getBackstageIdentity({ optional: true });
    await expect(api.signOut()).rejects.toThrow(/Logout request failed/);
    expect(navigations).toEqual([]);
  });

  it('asks for no end-session URL when nobody is signed in', async () => {
    const backend = await startBackend(backendSession('alice', { endSessionUrl: END_SESSION_URL }));
    const navigations: { url: string }[] = [];
    await signedInApi(backend, navigations as never).signOut();
    expect(paths(backend.requests)).toEqual(['POST /api/auth/spectrocloud/logout']);
    expect(navigations).toEqual([]);
  });
});

describe('several tenants', () => {
  const spectroCloudEuAuthApiRef = createApiRef<SpectroCloudAuthApi>({ id: 'core.auth.spectrocloud-eu' });

  it('registers a client per provider id and API ref in one app, each talking to its own provider', async () => {
    const backend = await startBackend(backendSession('alice'));
    const manager = new OAuthRequestManager();
    const { discoveryApi, configApi } = clientOptions(backend, manager);
    const registry = new ApiFactoryRegistry();
    registry.register('default', createApiFactory(discoveryApiRef, discoveryApi));
    registry.register('default', createApiFactory(oauthRequestApiRef, manager));
    registry.register('default', createApiFactory(configApiRef, configApi));
    registry.register('default', createSpectroCloudAuthApiFactory());
    registry.register(
      'default',
      createSpectroCloudAuthApiFactory({ apiRef: spectroCloudEuAuthApiRef, providerId: 'spectrocloud-eu', title: 'SpectroCloud EU' }),
    );
    const apis = new ApiResolver(registry);
    const us = apis.get(spectroCloudAuthApiRef)!;
    const eu = apis.get(spectroCloudEuAuthApiRef)!;
    expect(us).not.toBe(eu);

    await us.getBackstageIdentity({ optional: true });
    await eu.getBackstageIdentity({ optional: true });
    expect(paths(backend.requests)).toEqual(['GET /api/auth/spectrocloud/refresh', 'GET /api/auth/spectrocloud-eu/refresh']);

    // The EU tenant's re-authentication is listed under its own provider in the dialog.
    const requests = nextAuthRequests(manager);
    const reAuth = eu.reAuthenticate({ instantPopup: false });
    const [request] = await requests;
    expect(request.provider).toMatchObject({ id: 'spectrocloud-eu', title: 'SpectroCloud EU' });
    request.reject();
    await expect(reAuth).rejects.toMatchObject({ name: 'RejectedError' });
  });

  it('signs out of its own provider only', async () => {
    const backend = await startBackend(backendSession('alice'));
    const eu = createSpectroCloudAuth({ ...clientOptions(backend), providerId: 'spectrocloud-eu' });
    await eu.signOut();
    expect(paths(backend.requests)).toEqual(['POST /api/auth/spectrocloud-eu/logout']);
  });

  it('makes a sign-in page entry per tenant', () => {
    expect(
      createSpectroCloudSignInProvider({ apiRef: spectroCloudEuAuthApiRef, providerId: 'spectrocloud-eu', title: 'SpectroCloud EU' }),
    ).toEqual({
      id: 'spectrocloud-eu-auth-provider',
      title: 'SpectroCloud EU',
      message: 'Sign in using SpectroCloud EU',
      apiRef: spectroCloudEuAuthApiRef,
    });
  });

  it('provides the given API ref from the factory', () => {
    const factory = createSpectroCloudAuthApiFactory({ apiRef: spectroCloudEuAuthApiRef, providerId: 'spectrocloud-eu' });
    expect(factory.api).toBe(spectroCloudEuAuthApiRef);
    expect(Object.keys(factory.deps).sort()).toEqual(['configApi', 'discoveryApi', 'oauthRequestApi']);
  });
});

describe('a renewal announced by another tab of the app (BroadcastChannel)', () => {
  it("takes the renewed session from /refresh when it is this tab's user, and ignores another user's", async () => {
    let session = backendSession('alice');
    const backend = await startBackend(() => session);
    const api = createSpectroCloudAuth({ ...clientOptions(backend), providerId: 'spectrocloud-tabs' });
    expect((await api.getBackstageIdentity({ optional: true }))?.identity.userEntityRef).toBe('user:default/alice');
    const before = await api.getIdToken();
    const renewedIdToken = jwtWithHeader({ alg: 'RS256', kid: 'k1' }, { sub: 'alice', jti: 'renewed' });
    registerSecret(renewedIdToken);
    session = backendSession('alice', { idToken: renewedIdToken });
    const refreshes = () => paths(backend.requests).filter(path => path.endsWith('/refresh')).length;
    const refreshesBefore = refreshes();

    const otherTab = new BroadcastChannel('backstage-spectrocloud-renewed:spectrocloud-tabs');
    try {
      otherTab.postMessage({ renewedBy: 'user:default/bob' });
      otherTab.postMessage({ renewedBy: 'user:default/alice' });
      await vi.waitFor(async () => expect((await api.getIdToken()) === renewedIdToken).toBe(true), { timeout: 5_000 });
    } finally {
      otherTab.close();
    }
    expect(before === renewedIdToken).toBe(false);
    // One /refresh: Alice's announcement; Bob's was not this tab's session.
    expect(refreshes()).toBe(refreshesBefore + 1);
    expect(statesOf(api)).toEqual([SessionState.SignedIn]);
  });
});
