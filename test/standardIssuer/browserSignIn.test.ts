/**
 * The sign-in of test/standardIssuer/standardOidc.test.ts, played by a real headless
 * Chromium: our provider in a legacy backend, pointed at panva's
 * oidc-provider (a standard issuer, test/support/standardOidcServer.ts) by its
 * authorization URL only. What only a standard issuer shows is proven in the
 * browser: a real, opaque refresh token is issued at sign-in, `/refresh`
 * (called by the page with its own cookies) performs a real `refresh_token`
 * grant, and sign-out revokes that refresh token at the issuer.
 *
 * Picking the account: the test server's interaction logs in the account
 * named by `login_hint` and has no default account, and our provider does
 * not forward a `login_hint` from `/start`. So the page's `/start` response
 * is passed through with `login_hint` appended to its redirect to
 * oidc-provider's `/auth` (as a user typing their email would); Playwright
 * cannot route the redirected `/auth` request itself. Everything else is the
 * browser's own navigation and cookies.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import jwt from 'jsonwebtoken';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { LegacyBackend } from '../support/legacyBackend';
import { registerSecret } from '../support/secrets';
import { readFrameMessage, type FrameResult } from '../support/spectroFixture';
import { verifyAtIssuer, type IssuedRefreshToken, type StandardOidcServer } from '../support/standardOidcServer';
import { ACCOUNTS, CLIENT_ID, startStandardIssuerFixture, type StandardIssuerFixture } from '../support/standardIssuerFixture';
import { closeQuietly, launchChromium, newContext } from '../support/browser';
import { registerMessageSecrets } from '../support/pages';

const ALICE = ACCOUNTS[0];

const REFRESH_COOKIE = 'spectrocloud-refresh-token';

let fixture: StandardIssuerFixture;
let op: StandardOidcServer;
let backend: LegacyBackend;
let browser: Browser;
let context: BrowserContext;

beforeAll(async () => {
  const launched = launchChromium();
  fixture = await startStandardIssuerFixture();
  ({ op, backend } = fixture);
  browser = await launched;
});

afterAll(async () => {
  await closeQuietly(browser);
  await fixture?.close();
});

beforeEach(async () => {
  context = await newContext(browser);
});

afterEach(async () => {
  await closeQuietly(context);
  expect(op.serverErrors).toEqual([]);
});

const providerBase = () => `${backend.authUrl}/spectrocloud`;
const isFrame = (url: string) => new URL(url).pathname === '/api/auth/spectrocloud/handler/frame';

interface BrowserSignIn {
  page: Page;
  message: FrameResult['message'];
  /** refresh tokens oidc-provider issued during this sign-in */
  issued: IssuedRefreshToken[];
  /** index into op.tokenCalls where this sign-in started */
  callsBefore: number;
  /** index into op.interactions where this sign-in started */
  interactionsBefore: number;
}

/**
 * A full page (no popup, `window.close` neutralised so handler/frame stays
 * open) goes to `/start`, through oidc-provider's login and consent, and lands
 * on handler/frame; returns that page's `authorization_response`.
 */
async function signInInBrowser(loginHint = ALICE.email): Promise<BrowserSignIn> {
  const issuedBefore = op.refreshTokens.length;
  const callsBefore = op.tokenCalls.length;
  const interactionsBefore = op.interactions.length;

  const page = await context.newPage();
  await page.addInitScript(() => {
    window.close = () => undefined;
  });
  // /start's redirect to oidc-provider gains the account to log in; the browser follows it as usual.
  await page.route(
    url => url.href.startsWith(`${providerBase()}/start?`),
    async route => {
      const response = await route.fetch({ maxRedirects: 0 });
      const headers = response.headers();
      if (!headers.location) return route.fulfill({ response }); // not a redirect: let the test see what /start said
      const location = new URL(headers.location);
      location.searchParams.set('login_hint', loginHint);
      return route.fulfill({ response, headers: { ...headers, location: location.toString() } });
    },
  );
  page.on('request', request => {
    if (isFrame(request.url())) registerSecret(new URL(request.url()).searchParams.get('code'));
  });

  const frame = page.waitForResponse(response => isFrame(response.url()));
  await page.goto(`${providerBase()}/start?env=development`);
  const response = await frame;
  expect(response.status()).toBe(200);
  const message = readFrameMessage(await response.text());
  registerMessageSecrets(message);
  for (const cookie of await context.cookies()) registerSecret(cookie.value);
  return { page, message, issued: op.refreshTokens.slice(issuedBefore), callsBefore, interactionsBefore };
}

interface FetchResult {
  status: number;
  body: any;
}

/**
 * A `fetch` from a page on the backend's origin, as the Backstage frontend
 * makes it: the browser's own cookies, plus the header the auth router requires.
 */
async function fetchFromBackendOrigin(page: Page, method: 'GET' | 'POST', path: string): Promise<FetchResult> {
  const landing = await page.goto(`${backend.authUrl}/.well-known/openid-configuration`);
  expect(landing?.ok()).toBe(true);
  const result: FetchResult = await page.evaluate(
    async ({ url, method }) => {
      const response = await fetch(url, {
        method,
        credentials: 'include',
        headers: { 'X-Requested-With': 'XMLHttpRequest' },
      });
      const text = await response.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // not JSON (logout answers with an empty body)
      }
      return { status: response.status, body };
    },
    { url: `${backend.url}${path}`, method },
  );
  registerSecret(result.body?.providerInfo?.idToken);
  registerSecret(result.body?.providerInfo?.accessToken);
  registerSecret(result.body?.backstageIdentity?.token);
  for (const cookie of await context.cookies()) registerSecret(cookie.value);
  return result;
}

const refresh = (page: Page) => fetchFromBackendOrigin(page, 'GET', '/api/auth/spectrocloud/refresh?env=development');
const logout = (page: Page) => fetchFromBackendOrigin(page, 'POST', '/api/auth/spectrocloud/logout?env=development');

/** Moves the Date of this process (backend and issuer; not Chromium, not timers) forward instead of waiting. */
function moveClockBy(ms: number) {
  const now = Date.now();
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(now + ms);
}
afterEach(() => {
  vi.useRealTimers();
});

describe('in Chromium, against a standard OIDC issuer (oidc-provider)', () => {
  it('signs in through oidc-provider login and consent, which issues a real, opaque refresh token', async () => {
    const { message, issued, callsBefore, interactionsBefore } = await signInInBrowser();

    // the browser really walked through oidc-provider's interactions
    expect(op.interactions.slice(interactionsBefore).map(seen => [seen.prompt, seen.loginHint])).toEqual([
      ['login', ALICE.email],
      ['consent', ALICE.email],
    ]);

    expect(message.type).toBe('authorization_response');
    expect(message.error).toBeUndefined();
    const { profile, providerInfo, backstageIdentity } = message.response;
    expect(profile.email).toBe(ALICE.email);
    expect(jwt.decode(providerInfo.idToken, { complete: true })?.header.alg).toBe('RS256');
    const claims = await verifyAtIssuer(op, providerInfo.idToken, CLIENT_ID);
    expect(claims).toMatchObject({ sub: ALICE.sub, email: ALICE.email });
    expect(backstageIdentity.identity.userEntityRef).toBe('user:default/alice');
    expect((jwt.decode(backstageIdentity.token) as jwt.JwtPayload).sub).toBe('user:default/alice');

    const calls = op.tokenCalls.slice(callsBefore);
    expect(calls).toEqual([expect.objectContaining({ grantType: 'authorization_code', clientId: CLIENT_ID })]);
    expect(calls[0].error).toBeUndefined();
    expect(calls[0].idToken).toBe(providerInfo.idToken);
    expect(issued).toHaveLength(1);
    expect(issued[0].clientId).toBe(CLIENT_ID);
    expect(issued[0].scope?.split(' ')).toContain('offline_access');
    // opaque: not a JWT, so not SpectroCloud's HS256 session token
    expect(issued[0].value.split('.')).toHaveLength(1);
    expect(jwt.decode(issued[0].value)).toBeNull();
    // kept server-side: the page got no refresh token, the browser holds our sealed cookie only
    expect(providerInfo.refreshToken).toBeUndefined();
    const cookies = await context.cookies(`${providerBase()}/refresh`);
    expect(cookies.map(cookie => cookie.name)).toContain(REFRESH_COOKIE);
    for (const cookie of cookies) expect(cookie.value).not.toContain(issued[0].value);
  }, 60_000);

  it("refreshes from the page with the browser's cookies through a real refresh_token grant and a new ID token", async () => {
    const { page, message, issued } = await signInInBrowser();
    const first = message.response.providerInfo.idToken as string;
    // Past refreshGrantInterval (60 s by default; before it the sign-in's tokens are served again, see
    // test/standardIssuer/standardOidc.test.ts), and a later second: oidc-provider's ID tokens carry second-precision
    // times and no per-token id, so only that makes the refreshed one differ.
    moveClockBy(61_000);
    const callsBefore = op.tokenCalls.length;

    const response = await refresh(page);

    expect(response.status).toBe(200);
    const calls = op.tokenCalls.slice(callsBefore);
    expect(calls).toEqual([
      expect.objectContaining({ grantType: 'refresh_token', clientId: CLIENT_ID, refreshTokenUsed: issued[0].value }),
    ]);
    expect(calls[0].error).toBeUndefined();
    const { providerInfo, profile, backstageIdentity } = response.body;
    // the very ID token the refresh grant answered with, not the sign-in one
    expect(providerInfo.idToken).toBe(calls[0].idToken);
    expect(providerInfo.idToken).not.toBe(first);
    const claims = await verifyAtIssuer(op, providerInfo.idToken, CLIENT_ID);
    expect(claims.sub).toBe(ALICE.sub);
    expect(claims.iat).toBeGreaterThan((jwt.decode(first) as jwt.JwtPayload).iat!);
    expect(providerInfo.refreshToken).toBeUndefined();
    expect(profile.email).toBe(ALICE.email);
    expect(backstageIdentity.identity.userEntityRef).toBe('user:default/alice');
    expect(JSON.stringify(response.body)).not.toContain(issued[0].value);
  }, 60_000);

  it('signs out from the page: the refresh token is revoked at oidc-provider and /refresh answers 401', async () => {
    const { page, issued } = await signInInBrowser();
    expect(issued).toHaveLength(1);
    const revocationsBefore = op.requests.filter(line => line === 'POST /token/revocation').length;

    const out = await logout(page);

    expect(out.status).toBe(200);
    expect(op.requests.filter(line => line === 'POST /token/revocation')).toHaveLength(revocationsBefore + 1);
    expect(op.revokedGrants).toContain(issued[0].grantId);
    expect((await context.cookies(`${providerBase()}/refresh`)).map(cookie => cookie.name)).not.toContain(REFRESH_COOKIE);
    const callsBefore = op.tokenCalls.length;
    const after = await refresh(page);
    expect(after.status).toBe(401);
    // no cookie left to refresh with: oidc-provider is not even asked
    expect(op.tokenCalls.slice(callsBefore)).toEqual([]);
  }, 60_000);
});
