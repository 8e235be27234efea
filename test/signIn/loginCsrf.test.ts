import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { closeQuietly, launchChromium } from '../support/browser';
import {
  BACKEND_KINDS, CLIENT_ID, CLIENT_SECRET, CookieJar, DEFAULT_APP_URL, authorize, readFrameMessage, startFixture, startSignIn, type Fixture,
} from '../support/spectroFixture';
import { createTestCa, type TestCa, type TestCertificate } from '../support/testCa';

/*
 * Login CSRF by cookie tossing, in a real Chromium: the backend is served
 * over https at auth.example.test (a TLS front on loopback), the attacker
 * controls the sibling evil.example.test. The attacker starts a sign-in of
 * their own (as bob), keeps its callback URL, plants their nonce cookie in the
 * victim's browser for Domain=example.test and sends the victim to that
 * callback URL. The browser sends the planted nonce cookie (the adapter's
 * state check passes: it is the attacker's state), but the planter cannot
 * set the backend's `__Host-` cookie, so the callback is refused.
 */
const HOST_RULES = '--host-resolver-rules=MAP auth.example.test 127.0.0.1, MAP evil.example.test 127.0.0.1';
const HOST_COOKIE = '__Host-spectrocloud-sign-in';

/** An https server on loopback that hands every request to `target` (the backend's plain-http URL). */
async function tlsFront(certificate: TestCertificate, target: () => string): Promise<{ server: HttpsServer; port: number }> {
  const server = createHttpsServer(certificate, (req, res) => {
    const upstream = httpRequest(`${target()}${req.url}`, { method: req.method, headers: req.headers }, answer => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

/** The attacker's page on the sibling subdomain: plants `Set-Cookie` and redirects to `Location`. */
async function attackerSite(certificate: TestCertificate): Promise<{ server: HttpsServer; port: number; plant: (cookie: string, location: string) => void }> {
  let planted = { cookie: '', location: '' };
  const server = createHttpsServer(certificate, (_req, res) => {
    res.writeHead(302, { 'Set-Cookie': planted.cookie, Location: planted.location });
    res.end();
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, plant: (cookie, location) => (planted = { cookie, location }) };
}

const close = (server: HttpsServer | undefined) => new Promise<void>(resolve => (server ? server.close(() => resolve()) : resolve()));

let ca: TestCa;
let certificate: TestCertificate;
let browser: Browser;
beforeAll(async () => {
  ca = await createTestCa();
  certificate = await ca.issueServerCertificate(['auth.example.test', 'evil.example.test']);
  browser = await launchChromium({ extraArgs: [HOST_RULES] });
});
afterAll(async () => {
  await closeQuietly(browser);
  await ca?.close();
});

describe.each(BACKEND_KINDS)('login CSRF by a planted nonce cookie, in Chromium over https (%s backend)', kind => {
  let fixture: Fixture;
  let front: Awaited<ReturnType<typeof tlsFront>>;
  let evil: Awaited<ReturnType<typeof attackerSite>>;
  let context: BrowserContext;
  let backendOrigin: string;

  beforeAll(async () => {
    front = await tlsFront(certificate, () => fixture.backend.url);
    evil = await attackerSite(certificate);
    backendOrigin = `https://auth.example.test:${front.port}`;
    const callbackUrl = `${backendOrigin}/api/auth/spectrocloud/handler/frame`;
    fixture = await startFixture({
      kind,
      environment: { callbackUrl },
      emulator: { clients: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [callbackUrl], postLogoutRedirectUris: [DEFAULT_APP_URL] }] },
    });
  });
  afterAll(async () => {
    await fixture?.close();
    await close(front?.server);
    await close(evil?.server);
  });
  beforeEach(async () => {
    // The certificate's CA is not in Chromium's store; the origins stay https (secure contexts) all the same.
    context = await browser.newContext({ ignoreHTTPSErrors: true });
    context.setDefaultTimeout(15_000);
  });
  afterEach(() => closeQuietly(context));

  /** The victim's browser goes to the attacker's page, which plants the cookie and sends it on to `location`. */
  async function visitAttacker(plantedCookie: string, location: string) {
    evil.plant(plantedCookie, location);
    const page = await context.newPage();
    await page.goto(`https://evil.example.test:${evil.port}/`);
    expect(new URL(page.url()).origin).toBe(backendOrigin);
    return readFrameMessage(await page.content());
  }

  /** The attacker's own sign-in, as bob, stopped at the callback: its nonce and its callback URL. */
  async function attackersSignIn() {
    const jar = new CookieJar();
    const start = await startSignIn(fixture, jar);
    const callbackUrl = await authorize(start.headers.location, 'bob@example.com');
    return { nonce: jar.values.get('spectrocloud-nonce')!, callbackUrl };
  }

  it('the victim signs in as themself in this browser over https, with the __Host- cookie set at /start and spent at the callback (control)', async () => {
    const page = await context.newPage();
    const startResponse = page.waitForResponse(response => new URL(response.url()).pathname === '/api/auth/spectrocloud/start');
    await page.goto(`${backendOrigin}/api/auth/spectrocloud/start?env=development&login_hint=alice%40example.com`);
    expect(page.url().startsWith(`${backendOrigin}/api/auth/spectrocloud/handler/frame`)).toBe(true);
    const message = readFrameMessage(await page.content());
    expect(message.error).toBeUndefined();
    expect(message.response.profile.email).toBe('alice@example.com');
    const setCookie = (await (await startResponse).headerValues('set-cookie')).find(header => header.startsWith(`${HOST_COOKIE}=`));
    expect(setCookie).toBeDefined();
    const attributes = setCookie!.split(';').slice(1).map(a => a.trim().toLowerCase());
    expect(attributes).toEqual(expect.arrayContaining(['secure', 'path=/', 'httponly']));
    expect(attributes.some(a => a.startsWith('domain='))).toBe(false);
    expect((await context.cookies(backendOrigin)).some(cookie => cookie.name === HOST_COOKIE)).toBe(false);
  });

  it("refuses the attacker's callback in a browser that never started a sign-in: the planted nonce has no __Host- cookie", async () => {
    const attacker = await attackersSignIn();
    const message = await visitAttacker(
      `spectrocloud-nonce=${attacker.nonce}; Domain=example.test; Path=/api/auth/spectrocloud/handler; Secure; SameSite=None; HttpOnly`,
      attacker.callbackUrl,
    );
    expect(message.response).toBeUndefined();
    expect(message.error?.name).toBe('SpectroCloudRequestError');
    // Not "the sign-in cookie is missing": the planted nonce cookie was sent, and matched the attacker's state.
    expect(message.error?.message).toContain(`${HOST_COOKIE} cookie is missing`);
  });

  it("refuses the attacker's callback in a browser with its own sign-in under way: the planted nonce does not match its __Host- cookie", async () => {
    const page = await context.newPage();
    // The victim starts a sign-in (nonce and __Host- cookies set) and leaves it at SpectroCloud's page.
    await page.goto(`${backendOrigin}/api/auth/spectrocloud/start?env=development`);
    expect((await context.cookies(backendOrigin)).map(cookie => cookie.name)).toContain(HOST_COOKIE);
    const attacker = await attackersSignIn();
    // A longer Path puts the planted cookie first in the Cookie header, ahead of the victim's own nonce.
    const message = await visitAttacker(
      `spectrocloud-nonce=${attacker.nonce}; Domain=example.test; Path=/api/auth/spectrocloud/handler/frame; Secure; SameSite=None; HttpOnly`,
      attacker.callbackUrl,
    );
    expect(message.response).toBeUndefined();
    expect(message.error?.message).toContain('do not belong together');
  });
});
