/**
 * Test page for the browser tests: the real `./frontend` code (from src) on a
 * real OAuthRequestManager, against a real backend. Everything a test needs is
 * on `window.spectro`; the buttons are for a person trying it by hand.
 *
 * Backend base URL: `?backend=http://127.0.0.1:7007` or the build's default.
 */
import {
  GitlabAuth,
  GoogleAuth,
  MicrosoftAuth,
  OAuthRequestManager,
  OktaAuth,
  OneLoginAuth,
} from '@backstage/core-app-api';
import { ConfigReader } from '@backstage/config';
import type { JsonValue } from '@backstage/types';
import type { AuthRequestOptions, PendingOAuthRequest, SessionState } from '@backstage/core-plugin-api';
import {
  SPECTROCLOUD_REAUTH_HEADER,
  createSpectroCloudReAuthFetch,
  spectroCloudAuthApiFactory,
  type SpectroCloudFrontendErrorCode,
} from '../../../src/frontend';
import { spectroCloudKubernetesAuthProvidersApiFactory } from '../../../src/frontend/kubernetes';

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

const discoveryApi = { getBaseUrl: async (pluginId: string) => `${backendBaseUrl}/api/${pluginId}` };
const oauthRequestApi = new OAuthRequestManager();
const configApi = new ConfigReader({ app: { baseUrl: window.location.origin }, auth: { environment } });

// The legacy app's way: the API factory with its three dependencies.
const api = spectroCloudAuthApiFactory.factory({ discoveryApi, oauthRequestApi, configApi });

// The Kubernetes plugin's auth providers, with the stock providers built as a legacy app builds them.
const stock = { discoveryApi, oauthRequestApi, configApi, environment };
const kubernetesAuthProviders = spectroCloudKubernetesAuthProvidersApiFactory.factory({
  spectroCloudAuthApi: api,
  gitlabAuthApi: GitlabAuth.create(stock),
  googleAuthApi: GoogleAuth.create(stock),
  microsoftAuthApi: MicrosoftAuth.create(stock),
  oktaAuthApi: OktaAuth.create(stock),
  oneloginAuthApi: OneLoginAuth.create(stock),
});

const sessionStates: SessionState[] = [];
api.sessionState$().subscribe(state => {
  sessionStates.push(state);
  show('session-state', state);
});

// OAuth requests queued without instantPopup (what the app's login dialog would list).
let pendingAuthRequests: PendingOAuthRequest[] = [];
const authRequests: string[][] = [];
oauthRequestApi.authRequest$().subscribe(requests => {
  pendingAuthRequests = requests;
  authRequests.push(requests.map(r => r.provider.id));
});

const reauthEvents: { url: string }[] = [];
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
  async reauthFetch(url: string, init?: RequestInit): Promise<ReAuthFetchResult> {
    try {
      const response = await reAuthFetch(url, { credentials: 'include', ...init });
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
  },
  ready: true,
};
window.spectro = spectro;

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
