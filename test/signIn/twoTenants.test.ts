import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import jwt from 'jsonwebtoken';
import Redis from 'ioredis';
import type { Browser, BrowserContext } from 'playwright-core';
import { spectrocloud, SpectroCloudAuthMetrics } from '../../src';
import { startSpectroCloudEmulator, type SpectroCloudEmulator } from '../../src/testing';
import { startLegacyBackend, userEntity, type LegacyBackend } from '../support/legacyBackend';
import { startRedisServer, type RedisTestServer } from '../support/redisServer';
import { registerSecret } from '../support/secrets';
import { closeQuietly, launchChromium, newContext } from '../support/browser';
import { userButton } from '../support/pages';

/**
 * One legacy backend with the factory registered twice, `spectrocloud` (US
 * tenant) and `spectrocloud-eu` (EU tenant), each against its own emulator,
 * both keeping SpectroCloud session tokens in the same Redis. One Chromium
 * profile signs into both through the redirect flow.
 */
const CLIENT_SECRET = 'two-tenants-secret-4b9e1c77d2';
registerSecret(CLIENT_SECRET);
const TENANTS = [
  { providerId: 'spectrocloud', tenantId: 'tenant-us', clientId: 'backstage-us', groups: ['platform-team'] },
  { providerId: 'spectrocloud-eu', tenantId: 'tenant-eu', clientId: 'backstage-eu', groups: ['eu-operations'] },
] as const;

let app: http.Server;
let appUrl: string;
let redis: RedisTestServer;
let backend: LegacyBackend;
let browser: Browser;
let context: BrowserContext;
const emulators = new Map<string, SpectroCloudEmulator>();
const metrics = new SpectroCloudAuthMetrics();

beforeAll(async () => {
  // The app origin the redirect flow returns to: a page that only says where it is.
  app = http.createServer((req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(`<p id="at">${req.url}</p>`));
  await new Promise<void>(resolve => app.listen(0, '127.0.0.1', resolve));
  appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
  [redis, browser] = await Promise.all([startRedisServer(), launchChromium()]);
  backend = await startLegacyBackend({
    appUrl,
    users: [userEntity('alice', 'alice@example.com')],
    // One counter object for both tenants: the provider label keeps them apart.
    providerFactories: Object.fromEntries(TENANTS.map(t => [t.providerId, spectrocloud.create({ metrics })])),
    providers: async backendUrl => {
      const blocks: Record<string, any> = {};
      for (const tenant of TENANTS) {
        const emulator = await startSpectroCloudEmulator({
          tenantId: tenant.tenantId,
          clients: [
            {
              clientId: tenant.clientId,
              clientSecret: CLIENT_SECRET,
              redirectUris: [`${backendUrl}/api/auth/${tenant.providerId}/handler/frame`],
            },
          ],
          users: [{ email: 'alice@example.com', given_name: 'Alice', family_name: 'Example', groups: [...tenant.groups] }],
        });
        emulators.set(tenant.providerId, emulator);
        blocks[tenant.providerId] = {
          // Same Redis, no keyPrefix: the provider id keeps the keys apart.
          tokenStore: { type: 'redis', redis: { url: redis.url }, encryptionKey: Buffer.alloc(32, 3).toString('base64'), apiTokenCookie: true },
          development: {
            clientId: tenant.clientId,
            clientSecret: CLIENT_SECRET,
            authorizationUrl: emulator.authorizationUrl,
            additionalScopes: ['groups'],
            signIn: { resolvers: [{ resolver: 'emailMatchingUserEntityProfileEmail' }] },
          },
        };
      }
      return blocks;
    },
  });
  context = await newContext(browser);
}, 120_000);

afterAll(async () => {
  await closeQuietly(context);
  await closeQuietly(browser);
  await backend?.close();
  for (const emulator of emulators.values()) await emulator.close();
  await redis?.stop();
  await new Promise(resolve => app?.close(resolve));
});

async function signInThroughRedirect(providerId: string) {
  const start = new URL(`${backend.authUrl}/${providerId}/start`);
  start.searchParams.set('env', 'development');
  start.searchParams.set('flow', 'redirect');
  start.searchParams.set('redirectUrl', `${appUrl}/after-${providerId}`);
  const page = await context.newPage();
  await page.goto(start.toString());
  expect(page.url().startsWith(emulators.get(providerId)!.issuer)).toBe(true);
  await Promise.all([page.waitForURL(`${appUrl}/after-${providerId}`), page.click(userButton('alice@example.com'))]);
  await page.close();
}

/** /refresh with the browser profile's cookies, as the app's session check sends it. */
async function refreshIn(providerId: string) {
  const response = await context.request.get(`${backend.authUrl}/${providerId}/refresh?env=development`, {
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
  });
  const body = response.ok() ? await response.json() : undefined;
  registerSecret(body?.providerInfo?.idToken);
  registerSecret(body?.providerInfo?.accessToken);
  registerSecret(body?.backstageIdentity?.token);
  return { status: response.status(), body };
}

describe('two SpectroCloud tenants side by side in one legacy backend', () => {
  it('signs the same browser into both tenants, each session with its own routes, cookies, issuer and groups', async () => {
    await signInThroughRedirect('spectrocloud');
    await signInThroughRedirect('spectrocloud-eu');

    for (const tenant of TENANTS) {
      const { status, body } = await refreshIn(tenant.providerId);
      expect(status).toBe(200);
      expect(body.backstageIdentity.identity.userEntityRef).toBe('user:default/alice');
      const claims = jwt.decode(body.providerInfo.idToken) as jwt.JwtPayload;
      expect(claims.iss).toBe(emulators.get(tenant.providerId)!.issuer);
      expect(claims.aud).toBe(tenant.clientId);
      expect(claims.groups).toEqual(tenant.groups);
    }

    const cookies = (await context.cookies()).filter(c => c.domain === new URL(backend.url).hostname);
    cookies.forEach(cookie => registerSecret(cookie.value));
    const byName = (name: string) => cookies.filter(c => c.name === name).map(c => ({ path: c.path, httpOnly: c.httpOnly }));
    expect(byName('spectrocloud-refresh-token')).toEqual([{ path: '/api/auth/spectrocloud', httpOnly: true }]);
    expect(byName('spectrocloud-eu-refresh-token')).toEqual([{ path: '/api/auth/spectrocloud-eu', httpOnly: true }]);
    // SpectroCloud's API token of each tenant goes only to that tenant's plugin path.
    const apiTokens = cookies.filter(c => c.name === 'spectrocloud-api-token');
    expect(apiTokens.map(c => c.path).sort()).toEqual(['/api/spectrocloud', '/api/spectrocloud-eu']);
    expect(apiTokens[0].value).not.toBe(apiTokens[1].value);
  }, 90_000);

  it('keeps each tenant’s SpectroCloud session token under its own keys in the shared Redis', async () => {
    const raw = new Redis(redis.url);
    try {
      const keys = await raw.keys('spectrocloud:session:*');
      const eu = keys.filter(key => key.startsWith('spectrocloud:session:spectrocloud-eu:'));
      // The same entries (by identity and by email) for each tenant, none shared.
      expect(eu.length).toBeGreaterThan(0);
      expect(keys.length).toBe(2 * eu.length);
      for (const key of keys) expect(key).not.toContain('alice');
    } finally {
      raw.disconnect();
    }
  });

  it('counts the sign-ins per provider id in one shared counter object', () => {
    const snapshot = metrics.snapshot();
    expect(snapshot.signIns).toBe(2);
    expect(snapshot.providers).toEqual({
      spectrocloud: { signIns: 1, signInFailures: {} },
      'spectrocloud-eu': { signIns: 1, signInFailures: {} },
    });
    expect(metrics.toPrometheus()).toContain('spectrocloud_auth_sign_ins_total{provider="spectrocloud-eu"} 1\n');
  });

  it('signs out of one tenant without touching the other', async () => {
    const out = await context.request.post(`${backend.authUrl}/spectrocloud-eu/logout?env=development`, {
      headers: { 'X-Requested-With': 'XMLHttpRequest' },
    });
    expect(out.status()).toBe(200);
    expect((await refreshIn('spectrocloud-eu')).status).toBe(401);
    expect((await refreshIn('spectrocloud')).status).toBe(200);
  }, 30_000);
});
