/**
 * Test page for the browser tests: the real `./frontend` code (from src) on a
 * real OAuthRequestManager, against a real backend. Everything a test needs is
 * on `window.spectro`; the buttons are for a person trying it by hand.
 *
 * Backend base URL: `?backend=http://127.0.0.1:7007` or the build's default.
 */
import {
  ApiFactoryRegistry,
  ApiResolver,
  GitlabAuth,
  GoogleAuth,
  MicrosoftAuth,
  OAuthRequestManager,
  OktaAuth,
  OneLoginAuth,
  createFetchApi,
} from '@backstage/core-app-api';
import { ConfigReader } from '@backstage/config';
import type { JsonValue } from '@backstage/types';
import {
  configApiRef,
  createApiFactory,
  createApiRef,
  discoveryApiRef,
  fetchApiRef,
  gitlabAuthApiRef,
  googleAuthApiRef,
  microsoftAuthApiRef,
  oauthRequestApiRef,
  oktaAuthApiRef,
  oneloginAuthApiRef,
  type AnyApiFactory,
  type ApiRef,
  type AuthRequestOptions,
  type PendingOAuthRequest,
  type SessionState,
} from '@backstage/core-plugin-api';
import { kubernetesAuthProvidersApiRef } from '@backstage/plugin-kubernetes-react';
import {
  SPECTROCLOUD_REAUTH_HEADER,
  createSpectroCloudAuthApiFactory,
  createSpectroCloudReAuthFetch,
  spectroCloudAuthApiRef,
  spectroCloudReAuthFetchMiddleware,
  type SpectroCloudAuthApi,
  type SpectroCloudFrontendErrorCode,
} from '../../../src/frontend';
import { createSpectroCloudKubernetesAuthProvidersApiFactory } from '../../../src/frontend/kubernetes';
import { mountSessionEndWarning } from './sessionEndMount';

declare global {
  interface Window {
    __SPECTRO_TEST_CONFIG__?: { backendBaseUrl?: string; environment?: string };
    spectro: typeof spectro;
  }
}

const query = new URLSearchParams(window.location.search);
const backendBaseUrl =
  query.get('backend') ?? window.__SPECTRO_TEST_CONFIG__?.backendBaseUrl ?? 'http://localhost:7007';
const environment = query.get('env') ?? window.__SPECTRO_TEST_CONFIG__?.environment ?? 'development';
/** More SpectroCloud provider ids (tenants) besides `spectrocloud`: `?tenants=spectrocloud-eu`. */
const extraTenants = (query.get('tenants') ?? '').split(',').filter(Boolean);

const discoveryApi = { getBaseUrl: async (pluginId: string) => `${backendBaseUrl}/api/${pluginId}` };
const oauthRequestApi = new OAuthRequestManager();
/** `?redirect=1`: the app signs in through the redirect flow (core-app-api's `enableExperimentalRedirectFlow`), not the popup. */
const redirectFlow = query.get('redirect') === '1';
const configApi = new ConfigReader({
  app: { baseUrl: window.location.origin },
  auth: { environment },
  ...(redirectFlow ? { enableExperimentalRedirectFlow: true } : {}),
});

const reauthEvents: { url: string }[] = [];

// ---- The app's APIs, resolved from factories as a legacy Backstage app does (createApp's ApiResolver) ----
const tenantApiRefs = new Map<string, ApiRef<SpectroCloudAuthApi>>([['spectrocloud', spectroCloudAuthApiRef]]);
for (const providerId of extraTenants) {
  tenantApiRefs.set(providerId, createApiRef<SpectroCloudAuthApi>({ id: `core.auth.${providerId}` }));
}
const stockAuth = { discoveryApi: discoveryApiRef, oauthRequestApi: oauthRequestApiRef, configApi: configApiRef };
const factories: AnyApiFactory[] = [
  createApiFactory(discoveryApiRef, discoveryApi),
  createApiFactory(oauthRequestApiRef, oauthRequestApi),
  createApiFactory(configApiRef, configApi),
  // The stock auth APIs, built as core-app-api's default APIs build them.
  createApiFactory({ api: gitlabAuthApiRef, deps: stockAuth, factory: deps => GitlabAuth.create({ ...deps, environment }) }),
  createApiFactory({ api: googleAuthApiRef, deps: stockAuth, factory: deps => GoogleAuth.create({ ...deps, environment }) }),
  createApiFactory({ api: microsoftAuthApiRef, deps: stockAuth, factory: deps => MicrosoftAuth.create({ ...deps, environment }) }),
  createApiFactory({ api: oktaAuthApiRef, deps: stockAuth, factory: deps => OktaAuth.create({ ...deps, environment }) }),
  createApiFactory({ api: oneloginAuthApiRef, deps: stockAuth, factory: deps => OneLoginAuth.create({ ...deps, environment }) }),
  // Ours: one client per tenant, the Kubernetes providers, and the app's fetchApi with re-authentication.
  ...[...tenantApiRefs].map(([providerId, apiRef]) =>
    createSpectroCloudAuthApiFactory({ apiRef, providerId, title: providerId === 'spectrocloud' ? 'SpectroCloud' : providerId }),
  ),
  createSpectroCloudKubernetesAuthProvidersApiFactory({
    tenants: [...tenantApiRefs].map(([providerName, apiRef]) => ({ providerName, apiRef })),
  }),
  createApiFactory({
    api: fetchApiRef,
    deps: { authApi: spectroCloudAuthApiRef },
    factory: ({ authApi }) =>
      createFetchApi({ middleware: spectroCloudReAuthFetchMiddleware(authApi, { onReAuth: event => reauthEvents.push(event) }) }),
  }),
];
const registry = new ApiFactoryRegistry();
for (const factory of factories) registry.register('app', factory);
const apis = new ApiResolver(registry);
const resolve = <T>(ref: ApiRef<T>): T => {
  const api = apis.get(ref);
  if (!api) throw new Error(`no API for ${ref.id}`);
  return api;
};

const api = resolve(spectroCloudAuthApiRef);
const kubernetesAuthProviders = resolve(kubernetesAuthProvidersApiRef);
const fetchApi = resolve(fetchApiRef);

const sessionStates: SessionState[] = [];
api.sessionState$().subscribe(state => {
  sessionStates.push(state);
  show('session-state', state);
});

// OAuth requests queued without instantPopup: what the app's login-request dialog lists.
let pendingAuthRequests: PendingOAuthRequest[] = [];
const authRequests: string[][] = [];
oauthRequestApi.authRequest$().subscribe(requests => {
  pendingAuthRequests = requests;
  authRequests.push(requests.map(r => r.provider.id));
  renderLoginRequestDialog(requests);
  // Tests wait for this line instead of polling the page: every Playwright evaluation
  // lends the page a user activation, and a popup right after one would not be blocked.
  if (requests.length > 0) console.info(`spectro:login-requests ${requests.map(r => r.provider.id).join(',')}`);
});

const loads: ReAuthFetchResult[] = [];

const reAuthFetch = createSpectroCloudReAuthFetch({ authApi: api, onReAuth: event => reauthEvents.push(event) });

export interface KubernetesCluster {
  name: string;
  authProvider: string;
  oidcTokenProvider?: string;
}

/**
 * What `k8sDecorate` returns. The body is the Kubernetes plugin's
 * `KubernetesRequestBody`, spelled out here because plugin-kubernetes-common is
 * not a direct dependency (tsc could not name its type: TS2742).
 */
export interface KubernetesDecoratedRequest {
  body: { entity: unknown; auth?: { [providerKey: string]: JsonValue | undefined } };
  headers: { Authorization?: string };
}

export type ReAuthFetchResult =
  | { status: number; ok: boolean; text: string; reauthRequired: boolean }
  | { error: { name: string; code?: SpectroCloudFrontendErrorCode; message: string } };

const spectro = {
  backendBaseUrl,
  environment,
  api,
  /** What Backstage's SignInPage does when the SpectroCloud button is clicked. */
  signIn: (options: AuthRequestOptions = {}) => api.getBackstageIdentity({ instantPopup: true, ...options }),
  /** What Backstage's SignInPage does on load: recover the session via /refresh, never a popup. */
  restoreSession: () => api.getBackstageIdentity({ optional: true }),
  signOut: () => api.signOut(),
  getProfile: (options?: AuthRequestOptions) => api.getProfile(options),
  getIdToken: (options?: AuthRequestOptions) => api.getIdToken(options),
  getBackstageIdentity: (options?: AuthRequestOptions) => api.getBackstageIdentity(options),
  sessionStates,
  /** Provider ids of the queued OAuth requests, each time the queue changed. */
  authRequests,
  /** Clicks "log in" on every queued OAuth request, like the app's dialog. */
  triggerAuthRequests: () => Promise.all(pendingAuthRequests.map(r => r.trigger())),
  rejectAuthRequests: () => pendingAuthRequests.forEach(r => r.reject()),
  /** What the Kubernetes plugin sends for a cluster: the decorated request body and the proxy's Authorization header. */
  async k8sDecorate(cluster: KubernetesCluster): Promise<KubernetesDecoratedRequest> {
    const key = cluster.authProvider === 'oidc' ? `oidc.${cluster.oidcTokenProvider}` : cluster.authProvider;
    const entity = { apiVersion: 'backstage.io/v1alpha1', kind: 'Component', metadata: { name: 'test-app' } };
    const body = await kubernetesAuthProviders.decorateRequestBodyForAuth(key, { entity, auth: {} });
    const { token } = await kubernetesAuthProviders.getCredentials(key);
    return { body, headers: token ? { Authorization: `Bearer ${token}` } : {} };
  },
  reauthEvents,
  reauthFetch: (url: string, init?: RequestInit) => fetchResult(reAuthFetch, url, init),
  /** The same through the app's `fetchApi` (createFetchApi with the re-auth middleware). */
  appFetch: (url: string, init?: RequestInit) => fetchResult(fetchApi.fetch, url, init),
  /** What the page loaded by itself (`?load=whoami`), with no click behind it. */
  loads,
  /** `?probe=popup`: whether a `window.open` on page load (no click) got a window. */
  popupProbe: undefined as undefined | { opened: boolean },
  /** The client of another provider id, registered with `?tenants=<id>`. */
  tenant(providerId: string) {
    const ref = tenantApiRefs.get(providerId);
    if (!ref) throw new Error(`provider ${providerId} is not registered; open the page with ?tenants=${providerId}`);
    const tenantApi = resolve(ref);
    return {
      signIn: (options: AuthRequestOptions = {}) => tenantApi.getBackstageIdentity({ instantPopup: true, ...options }),
      restoreSession: () => tenantApi.getBackstageIdentity({ optional: true }),
      signOut: () => tenantApi.signOut(),
      getIdToken: (options?: AuthRequestOptions) => tenantApi.getIdToken(options),
      getBackstageIdentity: (options?: AuthRequestOptions) => tenantApi.getBackstageIdentity(options),
    };
  },
  ready: true,
};
window.spectro = spectro;

async function fetchResult(send: typeof fetch, url: string, init?: RequestInit): Promise<ReAuthFetchResult> {
  try {
    const response = await send(url, { credentials: 'include', ...init });
    return {
      status: response.status,
      ok: response.ok,
      text: await response.text(),
      reauthRequired: response.headers.get(SPECTROCLOUD_REAUTH_HEADER) === 'true',
    };
  } catch (e) {
    const error = e as Error & { code?: SpectroCloudFrontendErrorCode };
    return { error: { name: error.name, code: error.code, message: error.message } };
  }
}

// ---- a Backstage-style page: data loaded on mount, a login-request dialog ----

/**
 * Like a plugin page that loads its data on mount: recovers the session, then
 * calls the backend plugin through the app's fetchApi. No click is behind it.
 */
async function loadWhoami(): Promise<void> {
  const identity = await api.getBackstageIdentity({ optional: true });
  const result: ReAuthFetchResult = identity
    ? await spectro.appFetch(`${backendBaseUrl}/api/spectrocloud/whoami`, { headers: { Authorization: `Bearer ${identity.token}` } })
    : { error: { name: 'NotSignedIn', message: 'no session to load data with' } };
  loads.push(result);
  console.info('spectro:loaded');
  show('whoami', 'error' in result ? `${result.error.code ?? result.error.name}` : `${result.status}`);
}

/**
 * Backstage's OAuthRequestDialog in plain DOM: "Login Required", one "Log in"
 * button per queued request, "Reject All".
 */
function renderLoginRequestDialog(requests: PendingOAuthRequest[]): void {
  const dialog = document.getElementById('login-requests');
  if (!dialog) return;
  dialog.hidden = requests.length === 0;
  const list = dialog.querySelector('ul')!;
  list.replaceChildren(
    ...requests.map(request => {
      const item = document.createElement('li');
      const button = document.createElement('button');
      button.textContent = `Log in to ${request.provider.title}`;
      button.dataset.loginProvider = request.provider.id;
      // The dialog swallows popup errors: the request stays listed, as in Backstage.
      button.addEventListener('click', () => request.trigger().catch(() => undefined));
      item.append(button);
      return item;
    }),
  );
}
document.getElementById('login-reject-all')?.addEventListener('click', () => pendingAuthRequests.forEach(r => r.reject()));

// ---- for a person ---------------------------------------------------------

function show(id: string, text: string) {
  const element = document.getElementById(id);
  if (element) element.textContent = text;
}

function jwtAlgorithm(token: string): string {
  try {
    return JSON.parse(atob(token.split('.')[0].replace(/-/g, '+').replace(/_/g, '/'))).alg ?? '?';
  } catch {
    return 'not a JWT';
  }
}

async function run(label: string, action: () => Promise<unknown>) {
  show('output', `${label}...`);
  try {
    const result = await action();
    show('output', `${label}: ${typeof result === 'string' ? result : JSON.stringify(result, null, 2)}`);
  } catch (error) {
    show('output', `${label} failed: ${(error as Error).name}: ${(error as Error).message}`);
  }
}

const actions: Record<string, () => Promise<unknown>> = {
  'sign-in': async () => (await spectro.signIn())?.identity,
  'restore-session': async () => (await spectro.restoreSession())?.identity ?? 'no session',
  'sign-out': () => spectro.signOut().then(() => 'signed out'),
  profile: () => spectro.getProfile({ optional: true }),
  'id-token': async () => `ID token present, signed with ${jwtAlgorithm(await spectro.getIdToken())}`,
  kubernetes: async () => {
    const { body } = await spectro.k8sDecorate({ name: 'edge', authProvider: 'oidc', oidcTokenProvider: 'spectrocloud' });
    const token = (body.auth?.oidc as Record<string, string>).spectrocloud;
    return `auth.oidc.spectrocloud set, signed with ${jwtAlgorithm(token)}`;
  },
  'reauth-fetch': () => {
    const url = (document.getElementById('reauth-url') as HTMLInputElement).value;
    return spectro.reauthFetch(new URL(url, backendBaseUrl).href);
  },
};

for (const [id, action] of Object.entries(actions)) {
  document.getElementById(id)?.addEventListener('click', () => run(id, action));
}
show('backend', backendBaseUrl);

if (query.get('probe') === 'popup') {
  const probe = window.open('about:blank', 'spectro-popup-probe', 'width=100,height=100');
  spectro.popupProbe = { opened: probe !== null };
  probe?.close();
}
if (query.get('load') === 'whoami') void loadWhoami();
const sessionEndLeadTime = query.get('sessionEnd');
if (sessionEndLeadTime) mountSessionEndWarning(apis, Number(sessionEndLeadTime));
