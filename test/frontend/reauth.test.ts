import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFetchApi } from '@backstage/core-app-api';
import type { BackstageIdentityResponse } from '@backstage/core-plugin-api';
import {
  SPECTROCLOUD_REAUTH_HEADER,
  SpectroCloudReAuthError,
  createSpectroCloudReAuthFetch,
  type SpectroCloudReAuthenticateOptions,
  spectroCloudReAuthFetchMiddleware,
} from '../../src/frontend';
import { startLoopbackServer } from '../support/loopback';

type Server = Awaited<ReturnType<typeof startLoopbackServer>>;

/**
 * The backend: answers 401 + re-auth header until the session was renewed,
 * 200 afterwards. `/always` keeps asking for re-auth; `/thrice` asks for it on
 * its first three requests whatever happens (so a client without a retry bound
 * ends with a wrong answer, not a hang); `/slow` holds its first answer until the
 * test releases it.
 */
let server: Server;
let renewed: boolean;
let releaseSlow: () => void;
let slowReleased: Promise<void>;

beforeEach(async () => {
  renewed = false;
  slowReleased = new Promise(resolve => (releaseSlow = resolve));
  server = await startLoopbackServer(async (request, response) => {
    const renewedAtArrival = renewed;
    if (request.url === '/slow' && !renewedAtArrival) await slowReleased;
    if (request.url === '/always' || (request.url === '/thrice' && server.requests.filter(r => r.url === '/thrice').length <= 3) || !renewedAtArrival) {
      response.writeHead(401, { [SPECTROCLOUD_REAUTH_HEADER]: 'true', 'content-type': 'application/json' });
      response.end('{"error":"SpectroCloud session expired"}');
      return;
    }
    response.writeHead(200, { 'content-type': 'text/plain' });
    response.end(`ok ${request.method} ${request.body}`);
  });
});

afterEach(async () => {
  releaseSlow();
  await server.close();
});

const identity: BackstageIdentityResponse = {
  token: 'backstage-token-not-a-secret',
  identity: { type: 'user', userEntityRef: 'user:default/jane', ownershipEntityRefs: [] },
};

/**
 * Stands in for the SpectroCloud auth API (the collaborator): a re-authentication
 * "renews" the backend session after `signIn()` resolves.
 */
function fakeAuthApi(signIn: () => Promise<void> = async () => {}) {
  const calls: string[] = [];
  const signInOptions: (SpectroCloudReAuthenticateOptions | undefined)[] = [];
  return {
    calls,
    signInOptions,
    authApi: {
      async reAuthenticate(options?: SpectroCloudReAuthenticateOptions) {
        calls.push('reAuthenticate');
        signInOptions.push(options);
        await signIn();
        renewed = true;
        return identity;
      },
    },
  };
}

function popupError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

describe('createSpectroCloudReAuthFetch', () => {
  it('passes responses without the re-auth header through untouched', async () => {
    renewed = true;
    const { authApi, calls } = fakeAuthApi();
    const response = await createSpectroCloudReAuthFetch({ authApi })(`${server.baseUrl}/api`);
    expect(response.status).toBe(200);
    expect(calls).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });

  it('signs in again (instant popup, dialog when blocked), then retries the request once', async () => {
    const { authApi, calls, signInOptions } = fakeAuthApi();
    const response = await createSpectroCloudReAuthFetch({ authApi })(`${server.baseUrl}/api`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('ok GET ');
    expect(calls).toEqual(['reAuthenticate']);
    expect(signInOptions).toEqual([{ instantPopup: true }]);
    expect(server.requests.map(r => r.url)).toEqual(['/api', '/api']);
  });

  it('returns the second re-auth answer instead of looping', async () => {
    const { authApi, calls } = fakeAuthApi();
    const response = await createSpectroCloudReAuthFetch({ authApi })(`${server.baseUrl}/always`);
    expect(response.status).toBe(401);
    expect(response.headers.get(SPECTROCLOUD_REAUTH_HEADER)).toBe('true');
    expect(calls).toEqual(['reAuthenticate']);
    expect(server.requests).toHaveLength(2);
  });

  it('re-authenticates at most once per request: one sign-in, one retry, then the answer as it is', async () => {
    const { authApi, calls } = fakeAuthApi();
    // The backend would say yes on the fourth try: a client that retried until then would get a 200 here.
    const response = await createSpectroCloudReAuthFetch({ authApi })(`${server.baseUrl}/thrice`);
    expect(calls).toEqual(['reAuthenticate']);
    expect(server.requests.map(r => r.url)).toEqual(['/thrice', '/thrice']);
    expect(response.status).toBe(401);
    expect(response.headers.get(SPECTROCLOUD_REAUTH_HEADER)).toBe('true');
  });

  it('shares one renewal between concurrent requests that need it', async () => {
    let allArrived!: () => void;
    const arrived = new Promise<void>(resolve => (allArrived = resolve));
    const { authApi, calls } = fakeAuthApi(() => arrived);
    const reAuthFetch = createSpectroCloudReAuthFetch({ authApi });
    const responses = Promise.all([1, 2, 3].map(n => reAuthFetch(`${server.baseUrl}/api`, { method: 'POST', body: `n=${n}` })));
    await waitFor(() => server.requests.length === 3);
    allArrived();
    const texts = await Promise.all((await responses).map(r => r.text()));
    expect(texts.sort()).toEqual(['ok POST n=1', 'ok POST n=2', 'ok POST n=3']);
    expect(calls).toEqual(['reAuthenticate']);
    expect(server.requests).toHaveLength(6);
  });

  it('does not renew again for a request sent before a renewal finished and answered after it', async () => {
    const { authApi, calls } = fakeAuthApi(() => waitFor(() => server.requests.some(r => r.url === '/slow')));
    const reAuthFetch = createSpectroCloudReAuthFetch({ authApi });
    const slow = reAuthFetch(`${server.baseUrl}/slow`);
    const fast = await reAuthFetch(`${server.baseUrl}/api`);
    expect(fast.status).toBe(200);
    releaseSlow();
    expect((await slow).status).toBe(200);
    expect(calls).toEqual(['reAuthenticate']);
  });

  it('resends a POST body given in init', async () => {
    const { authApi } = fakeAuthApi();
    const response = await createSpectroCloudReAuthFetch({ authApi })(`${server.baseUrl}/api`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"cluster":"edge-1"}',
    });
    expect(await response.text()).toBe('ok POST {"cluster":"edge-1"}');
    expect(server.requests.map(r => r.body)).toEqual(['{"cluster":"edge-1"}', '{"cluster":"edge-1"}']);
  });

  it('resends the body of a Request object', async () => {
    const { authApi } = fakeAuthApi();
    const request = new Request(`${server.baseUrl}/api`, { method: 'PUT', body: 'replicas=3' });
    const response = await createSpectroCloudReAuthFetch({ authApi })(request);
    expect(await response.text()).toBe('ok PUT replicas=3');
    expect(server.requests.map(r => `${r.method} ${r.body}`)).toEqual(['PUT replicas=3', 'PUT replicas=3']);
  });

  it('resends a streamed body', async () => {
    const { authApi } = fakeAuthApi();
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('streamed'));
        controller.close();
      },
    });
    const response = await createSpectroCloudReAuthFetch({ authApi })(`${server.baseUrl}/api`, {
      method: 'POST',
      body,
      duplex: 'half',
    } as RequestInit);
    expect(await response.text()).toBe('ok POST streamed');
    expect(server.requests.map(r => r.body)).toEqual(['streamed', 'streamed']);
  });

  it('rejects with a readable error when the user closes the popup, without retrying', async () => {
    const { authApi } = fakeAuthApi(async () => {
      throw popupError('PopupClosedError', 'Login failed, popup was closed');
    });
    const error = await createSpectroCloudReAuthFetch({ authApi })(`${server.baseUrl}/api`).catch(e => e);
    expect(error).toBeInstanceOf(SpectroCloudReAuthError);
    expect(error.name).toBe('SpectroCloudReAuthError');
    expect(error.code).toBe('ERR_REAUTH_POPUP_CLOSED');
    expect(error.message).toMatch(/sign-in popup was closed/);
    expect(error.cause).toMatchObject({ name: 'PopupClosedError' });
    expect(server.requests).toHaveLength(1);
  });

  it('rejects with a readable error when the browser blocks the popup', async () => {
    const { authApi } = fakeAuthApi(async () => {
      throw popupError('PopupRejectedError', 'Failed to open auth popup.');
    });
    const error = await createSpectroCloudReAuthFetch({ authApi })(`${server.baseUrl}/api`).catch(e => e);
    expect(error).toMatchObject({ name: 'SpectroCloudReAuthError', code: 'ERR_REAUTH_POPUP_BLOCKED' });
    expect(error.message).toMatch(/blocked the sign-in popup/);
  });

  it('rejects with a readable error when the sign-in dialog is dismissed', async () => {
    const { authApi, signInOptions } = fakeAuthApi(async () => {
      throw popupError('RejectedError', 'Login failed, rejected by user');
    });
    const error = await createSpectroCloudReAuthFetch({ authApi, instantPopup: false })(`${server.baseUrl}/api`).catch(e => e);
    expect(signInOptions).toEqual([{ instantPopup: false }]);
    expect(error).toMatchObject({ code: 'ERR_REAUTH_REJECTED' });
    expect(error.message).toMatch(/sign-in request was dismissed/);
  });

  it("passes the auth API's own re-authentication error on unchanged, without retrying", async () => {
    const changed = new SpectroCloudReAuthError('ERR_REAUTH_USER_CHANGED', 'SpectroCloud re-authentication failed: another user');
    const { authApi } = fakeAuthApi(async () => {
      throw changed;
    });
    const error = await createSpectroCloudReAuthFetch({ authApi })(`${server.baseUrl}/api`).catch(e => e);
    expect(error).toBe(changed);
    expect(server.requests).toHaveLength(1);
  });

  it('gives every concurrent request the same error when the shared renewal fails', async () => {
    let allArrived!: () => void;
    const arrived = new Promise<void>(resolve => (allArrived = resolve));
    const { authApi, calls } = fakeAuthApi(async () => {
      await arrived;
      throw popupError('PopupClosedError', 'Login failed, popup was closed');
    });
    const reAuthFetch = createSpectroCloudReAuthFetch({ authApi });
    const results = Promise.all([1, 2].map(() => reAuthFetch(`${server.baseUrl}/api`).catch(e => e)));
    await waitFor(() => server.requests.length === 2);
    allArrived();
    const [a, b] = await results;
    expect(a).toBe(b);
    expect(a).toMatchObject({ code: 'ERR_REAUTH_POPUP_CLOSED' });
    expect(calls).toEqual(['reAuthenticate']);
  });

  it('starts a new renewal for a later request after a failed one', async () => {
    let attempt = 0;
    const { authApi, calls } = fakeAuthApi(async () => {
      attempt += 1;
      if (attempt === 1) throw popupError('PopupClosedError', 'Login failed, popup was closed');
    });
    const reAuthFetch = createSpectroCloudReAuthFetch({ authApi });
    await expect(reAuthFetch(`${server.baseUrl}/api`)).rejects.toMatchObject({ code: 'ERR_REAUTH_POPUP_CLOSED' });
    expect((await reAuthFetch(`${server.baseUrl}/api`)).status).toBe(200);
    expect(calls).toEqual(['reAuthenticate', 'reAuthenticate']);
  });

  it('tells onReAuth which request triggered the renewal', async () => {
    const { authApi } = fakeAuthApi();
    const events: { url: string }[] = [];
    await createSpectroCloudReAuthFetch({ authApi, onReAuth: event => events.push(event) })(`${server.baseUrl}/api?x=1`);
    expect(events).toEqual([{ url: `${server.baseUrl}/api?x=1` }]);
  });

  it('wraps the fetch it is given', async () => {
    const { authApi } = fakeAuthApi();
    const seen: string[] = [];
    const reAuthFetch = createSpectroCloudReAuthFetch({
      authApi,
      fetch: (input, init) => {
        seen.push(String(input));
        return fetch(input, init);
      },
    });
    await reAuthFetch(`${server.baseUrl}/api`);
    expect(seen).toEqual([`${server.baseUrl}/api`, `${server.baseUrl}/api`]);
  });
});

describe('spectroCloudReAuthFetchMiddleware', () => {
  it("renews and retries inside core-app-api's createFetchApi", async () => {
    const { authApi, calls } = fakeAuthApi();
    const fetchApi = createFetchApi({ middleware: spectroCloudReAuthFetchMiddleware(authApi) });
    const response = await fetchApi.fetch(`${server.baseUrl}/api`, { method: 'POST', body: 'a=1' });
    expect(await response.text()).toBe('ok POST a=1');
    expect(calls).toEqual(['reAuthenticate']);
  });

  it('shares one renewal across the fetches it wraps', async () => {
    let allArrived!: () => void;
    const arrived = new Promise<void>(resolve => (allArrived = resolve));
    const { authApi, calls } = fakeAuthApi(() => arrived);
    const middleware = spectroCloudReAuthFetchMiddleware(authApi);
    const first = middleware.apply(fetch);
    const second = middleware.apply(fetch);
    const responses = Promise.all([first(`${server.baseUrl}/api`), second(`${server.baseUrl}/api`)]);
    await waitFor(() => server.requests.length === 2);
    allArrived();
    expect((await responses).map(r => r.status)).toEqual([200, 200]);
    expect(calls).toEqual(['reAuthenticate']);
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise(resolve => setTimeout(resolve, 5));
}
