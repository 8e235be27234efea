// @vitest-environment jsdom
// jsdom for the window core-app-api reads (navigator.locks from 1.20.7) and sessionStorage; fetch and
// BroadcastChannel stay Node's, to a real loopback backend and between two channels as two tabs.
/**
 * A renewal through the redirect flow, at the app's load back in the tab that
 * left: the note that tab wrote before leaving (sessionStorage), and what the
 * auth API does with it (the other tabs hear of the renewal; a sign-in as
 * someone else signs the app out). The whole trip runs in Chromium:
 * test/frontend/browser/sessionEndRedirectRenewal.test.ts.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { OAuthRequestManager } from '@backstage/core-app-api';
import { ConfigReader } from '@backstage/config';
import { SessionState } from '@backstage/core-plugin-api';
import { SpectroCloudAuth } from '../../src/frontend';
import { openRedirectRenewalNote } from '../../src/frontend/redirectRenewal';
import { jwtWithHeader, startLoopbackServer } from '../support/loopback';
import { registerSecret } from '../support/secrets';

type Server = Awaited<ReturnType<typeof startLoopbackServer>>;
let server: Server | undefined;
let providerCount = 0;
let providerId = '';
beforeEach(() => {
  providerId = `spectrocloud-redirect-${++providerCount}`;
  window.sessionStorage.clear();
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A backend whose `/refresh` says `user` is signed in, and whose `/logout` answers 200. */
async function startBackend(user: string): Promise<Server> {
  const idToken = jwtWithHeader({ alg: 'RS256', kid: 'k1' }, { sub: user });
  const token = jwtWithHeader({ alg: 'ES256' }, { sub: `user:default/${user}` });
  registerSecret(idToken);
  registerSecret(token);
  const session = {
    providerInfo: { idToken, accessToken: 'opaque-access', scope: 'openid profile email', expiresInSeconds: 3600 },
    profile: { email: `${user}@example.com` },
    backstageIdentity: { token, expiresInSeconds: 3600, identity: { type: 'user', userEntityRef: `user:default/${user}`, ownershipEntityRefs: [] } },
  };
  server = await startLoopbackServer((request, response) => {
    const { pathname } = new URL(request.url, 'http://x');
    if (pathname.endsWith('/refresh')) {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(session));
      return;
    }
    response.writeHead(pathname.endsWith('/logout') ? 200 : 404).end();
  });
  return server;
}

/** The app's auth API at load, configured for the redirect flow (or not). */
function loadApp(backend: Server, redirectFlow = true): SpectroCloudAuth {
  return SpectroCloudAuth.create({
    providerId,
    discoveryApi: { getBaseUrl: async (pluginId: string) => `${backend.baseUrl}/api/${pluginId}` },
    oauthRequestApi: new OAuthRequestManager(),
    configApi: new ConfigReader(redirectFlow ? { enableExperimentalRedirectFlow: true } : {}),
  });
}

/** Another tab of the app: what it hears of renewals. */
function otherTab(): { heard: unknown[]; close(): void } {
  const channel = new BroadcastChannel(`backstage-spectrocloud-renewed:${providerId}`);
  const heard: unknown[] = [];
  channel.onmessage = event => heard.push(event.data);
  return { heard, close: () => channel.close() };
}

const paths = (backend: Server) => backend.requests.map(r => `${r.method} ${new URL(r.url, 'http://x').pathname}`);

describe('the redirect renewal note (sessionStorage, per tab)', () => {
  it('gives back whose session the tab left to renew, once', () => {
    const note = openRedirectRenewalNote(providerId);
    note.write('user:default/alice');
    expect(openRedirectRenewalNote(`${providerId}-other`).take()).toBeUndefined();
    expect(note.take()).toBe('user:default/alice');
    expect(note.take()).toBeUndefined();
  });

  it('is ignored after 10 minutes: a sign-in that comes back that late has failed (the nonce cookie is gone)', () => {
    let now = Date.UTC(2026, 11, 7, 12, 0, 0);
    const note = openRedirectRenewalNote(providerId, () => now);
    note.write('user:default/alice');
    now += 10 * 60_000;
    expect(note.take()).toBeUndefined();
  });

  it('holds nothing a reader could use: the user entity ref and a time', () => {
    openRedirectRenewalNote(providerId, () => 1).write('user:default/alice');
    expect(Object.entries(window.sessionStorage)).toEqual([[`backstage-spectrocloud-renewing:${providerId}`, '1 user:default/alice']]);
  });
});

describe('the load back from a renewal through the redirect flow', () => {
  it("tells the other tabs the user's session was renewed, once it holds it", async () => {
    const backend = await startBackend('alice');
    openRedirectRenewalNote(providerId).write('user:default/alice');
    const tab = otherTab();
    try {
      const api = loadApp(backend);
      await vi.waitFor(() => expect(tab.heard).toEqual([{ renewedBy: 'user:default/alice' }]), { timeout: 5_000 });
      expect((await api.getBackstageIdentity({ optional: true }))?.identity.userEntityRef).toBe('user:default/alice');
      // The note is read once: the next load of this tab is an ordinary one.
      expect(openRedirectRenewalNote(providerId).take()).toBeUndefined();
      expect(paths(backend)).not.toContain(`POST /api/auth/${providerId}/logout`);
    } finally {
      tab.close();
    }
  });

  it('signs the app out when the sign-in came back as someone else, and tells no tab', async () => {
    const backend = await startBackend('bob');
    openRedirectRenewalNote(providerId).write('user:default/alice');
    const tab = otherTab();
    try {
      const api = loadApp(backend);
      await vi.waitFor(() => expect(paths(backend)).toContain(`POST /api/auth/${providerId}/logout`), { timeout: 5_000 });
      const states: SessionState[] = [];
      api.sessionState$().subscribe(state => states.push(state));
      // The backend may see the POST before the app has taken its answer in (a loaded machine): wait for the state.
      await vi.waitFor(() => expect(states.at(-1)).toBe(SessionState.SignedOut), { timeout: 5_000 });
      await new Promise(resolve => setTimeout(resolve, 50)); // a broadcast would have arrived by now
      expect(states.at(-1)).toBe(SessionState.SignedOut);
      expect(tab.heard).toEqual([]);
    } finally {
      tab.close();
    }
  });

  it('leaves an app without the redirect flow alone: no note is read, no request made at load', async () => {
    const backend = await startBackend('alice');
    openRedirectRenewalNote(providerId).write('user:default/alice');
    loadApp(backend, false);
    await new Promise(resolve => setTimeout(resolve, 50));
    expect(paths(backend)).toEqual([]);
    expect(openRedirectRenewalNote(providerId).take()).toBe('user:default/alice');
  });
});
