/**
 * The example's app page: the package's frontend client (./frontend) on the
 * app's own origin, as a Backstage app would use it.
 */
import { OAuthRequestManager } from '@backstage/core-app-api';
import { ConfigReader } from '@backstage/config';
// In your own app: import { ... } from 'backstage-plugin-spectrocloud-auth-legacy/frontend';
import { SpectroCloudAuth, createSpectroCloudReAuthFetch } from '../../../src/frontend';

declare const EXAMPLE_BACKEND_URL: string;

const discoveryApi = { getBaseUrl: async (pluginId: string) => `${EXAMPLE_BACKEND_URL}/api/${pluginId}` };
const configApi = new ConfigReader({ app: { baseUrl: window.location.origin }, auth: { environment: 'development' } });
const authApi = SpectroCloudAuth.create({ discoveryApi, oauthRequestApi: new OAuthRequestManager(), configApi });
const reAuthFetch = createSpectroCloudReAuthFetch({ authApi });

const $ = (id: string) => document.getElementById(id)!;
const show = (id: string, text: string) => {
  $(id).textContent = text;
};

authApi.sessionState$().subscribe(state => show('status', state === 'SignedIn' ? 'Signed in' : 'Signed out'));

/** For display only: the backend verified the token; the page just reads its claims. */
function claimsOf(jwt: string): Record<string, any> {
  const payload = jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
  return JSON.parse(decodeURIComponent(escape(atob(payload))));
}

async function render(optional: boolean) {
  const identity = await authApi.getBackstageIdentity({ optional, instantPopup: !optional });
  if (!identity) return;
  const profile = await authApi.getProfile({ optional: true });
  const claims = claimsOf((await authApi.getIdToken({ optional: true })) ?? '');
  show('who', identity.identity.userEntityRef);
  show('email', profile?.email ?? '');
  show('name', profile?.displayName ?? '');
  show('groups', ((claims.groups as string[]) ?? []).join(', ') || '(none)');
  show('expires', new Date(claims.exp * 1000).toISOString());
  show('error', '');
}

async function act(action: () => Promise<unknown>) {
  try {
    await action();
  } catch (error) {
    show('error', `${(error as Error).name}: ${(error as Error).message}`);
  }
}

$('sign-in').addEventListener('click', () => act(() => render(false)));
$('sign-out').addEventListener('click', () =>
  act(async () => {
    await authApi.signOut();
    for (const id of ['who', 'email', 'name', 'groups', 'expires', 'api']) show(id, '');
  }),
);
$('refresh').addEventListener('click', () =>
  act(async () => {
    // What the client does after a reload: ask the backend to refresh from its session cookie.
    const response = await fetch(`${EXAMPLE_BACKEND_URL}/api/auth/spectrocloud/refresh?env=development`, {
      credentials: 'include',
      headers: { 'X-Requested-With': 'XMLHttpRequest' },
    });
    const body = await response.json();
    show('refresh-result', response.ok ? `refreshed: ${body.backstageIdentity.identity.userEntityRef}` : `refused: ${body.error?.message}`);
  }),
);
$('call-api').addEventListener('click', () =>
  act(async () => {
    const identity = await authApi.getBackstageIdentity();
    const token = identity?.token ?? '';
    const response = await reAuthFetch(`${EXAMPLE_BACKEND_URL}/api/spectrocloud/whoami`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    show('api', `${response.status} ${await response.text()}`);
  }),
);

act(() => render(true));
