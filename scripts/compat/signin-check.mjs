#!/usr/bin/env node
// Sign-in, refresh and logout against the real auth backend of whatever
// @backstage/plugin-auth-backend line is installed next to this file: the
// legacy router (`createRouter`, lines up to 0.24), or with BACKEND_KIND=new
// the new backend system with this package's module (newBackend.mjs).
//
// Runs inside a throw-away fixture made by scripts/compat-matrix.sh and uses
// only what that fixture installs: the Backstage packages of one line, express,
// better-sqlite3 (the legacy database), and this package from its tarball,
// whose ./testing export provides the SpectroCloud emulator.
//
// Prints one `PASS <step>` or `FAIL <step>: <why>` line per step, then
// `N passed, N failed`; exits 1 when any step failed.
import http from 'node:http';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const require = createRequire(join(process.cwd(), 'package.json'));

const NEW_SYSTEM = process.env.BACKEND_KIND === 'new';
const CLIENT_ID = 'compat-client';
const CLIENT_SECRET = 'compat-secret-5a1f0c93e8b2';
const EMAIL = 'alice@example.com';

const results = [];
let aborted = false;

function record(step, ok, detail = '') {
  results.push({ step, ok });
  console.log(ok ? `PASS ${step}${detail ? ` (${detail})` : ''}` : `FAIL ${step}: ${detail}`);
  return ok;
}

/** Runs a step; a thrown error is that step's failure, and later steps are skipped. */
async function step(name, fn) {
  if (aborted) {
    record(name, false, 'skipped: an earlier step failed');
    return undefined;
  }
  try {
    const out = await fn();
    record(name, true, typeof out === 'string' ? out : '');
    return out;
  } catch (error) {
    aborted = true;
    const message = error && error.stack ? firstLines(error.stack, 4) : String(error);
    record(name, false, message);
    return undefined;
  }
}

function firstLines(text, n) {
  return text.split('\n').slice(0, n).map(l => l.trim()).join(' | ');
}

function installedVersion(name) {
  try {
    return JSON.parse(readFileSync(join(process.cwd(), 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    return 'missing';
  }
}

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

/** Cookies as a browser keeps them for one host: name -> value. */
class CookieJar {
  values = new Map();
  update(response) {
    for (const header of response.headers.getSetCookie()) {
      const [pair, ...attributes] = header.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some(a => /^\s*max-age=0\b/i.test(a) || /expires=Thu, 01 Jan 1970/i.test(a));
      if (expired || value === '') this.values.delete(name);
      else this.values.set(name, value);
    }
  }
  header() {
    return [...this.values].map(([n, v]) => `${n}=${v}`).join('; ');
  }
}

function readFrameMessage(html) {
  const match = /var authResponse = decodeURIComponent\('([^']*)'\)/.exec(html);
  if (!match) throw new Error(`no authorization_response in the handler/frame page: ${html.slice(0, 200)}`);
  return JSON.parse(decodeURIComponent(match[1]));
}

function decodeJwtPayload(token) {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
}

/** Just enough of CatalogApi for the sign-in resolvers of every line. */
function fakeCatalog(entities) {
  const flatten = (value, prefix = '', out = {}) => {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
    } else {
      out[prefix.toLowerCase()] = value;
    }
    return out;
  };
  const matches = (entity, filter) => {
    const flat = flatten(entity);
    return Object.entries(filter).every(([key, expected]) => {
      const actual = flat[key.toLowerCase()];
      const wanted = [].concat(expected).map(v => String(v).toLowerCase());
      return [].concat(actual ?? []).some(v => wanted.includes(String(v).toLowerCase()));
    });
  };
  const refOf = e => `${e.kind}:${e.metadata.namespace ?? 'default'}/${e.metadata.name}`.toLowerCase();
  return {
    async getEntities(request = {}) {
      const filters = [].concat(request.filter ?? []);
      const items = filters.length ? entities.filter(e => filters.some(f => matches(e, f))) : entities;
      return { items };
    },
    async getEntityByRef(ref) {
      const wanted = (typeof ref === 'string' ? ref : `${ref.kind}:${ref.namespace ?? 'default'}/${ref.name}`).toLowerCase();
      return entities.find(e => refOf(e) === wanted);
    },
    async getEntitiesByRefs({ entityRefs }) {
      return { items: entityRefs.map(r => entities.find(e => refOf(e) === r.toLowerCase())) };
    },
    async queryEntities(request = {}) {
      const { items } = await this.getEntities(request);
      return { items, totalItems: items.length, pageInfo: {} };
    },
  };
}

function silentLogger() {
  const logger = {
    lines: [],
    child: () => logger,
  };
  for (const level of ['error', 'warn', 'info', 'debug', 'verbose', 'silly', 'log']) {
    logger[level] = (message, ...rest) => {
      logger.lines.push(`${level}: ${typeof message === 'string' ? message : JSON.stringify(message)}`);
      void rest;
    };
  }
  return logger;
}

async function main() {
  const versions = Object.fromEntries(
    [
      '@backstage/plugin-auth-backend',
      '@backstage/plugin-auth-node',
      '@backstage/backend-common',
      '@backstage/backend-defaults',
      '@backstage/catalog-client',
      '@backstage/config',
      'express',
      'better-sqlite3',
      'backstage-plugin-spectrocloud-auth-legacy',
    ].map(n => [n, installedVersion(n)]),
  );
  // The plugin-auth-node the router itself loads (other Backstage packages in the tree may pull more copies).
  versions['plugin-auth-node used by the router'] = (() => {
    for (const dir of [join('node_modules', '@backstage', 'plugin-auth-backend', 'node_modules'), 'node_modules']) {
      try {
        return JSON.parse(readFileSync(join(process.cwd(), dir, '@backstage', 'plugin-auth-node', 'package.json'), 'utf8')).version;
      } catch {
        // try the next place node would look
      }
    }
    return 'missing';
  })();
  console.log(`VERSIONS ${JSON.stringify(versions)}`);

  const ctx = {};
  const logger = silentLogger();

  const catalogUsers = [
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'User',
      metadata: { name: 'alice', namespace: 'default' },
      spec: { profile: { email: EMAIL, displayName: 'Alice' }, memberOf: ['developers'] },
    },
  ];
  const startEmulator = async authUrl => {
    ctx.emulator = await ctx.testing.startSpectroCloudEmulator({
      clients: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [`${authUrl}/spectrocloud/handler/frame`] }],
      users: [{ email: EMAIL, given_name: 'Alice', family_name: 'Example', groups: ['developers'] }],
      autoApprove: true,
    });
    return {
      spectrocloud: {
        development: {
          clientId: CLIENT_ID,
          clientSecret: CLIENT_SECRET,
          authorizationUrl: ctx.emulator.authorizationUrl,
          signIn: { resolvers: [{ resolver: 'emailMatchingUserEntityProfileEmail' }] },
        },
      },
    };
  };
  if (NEW_SYSTEM) {
    await step('new backend system with the module', async () => {
      ctx.testing = require('backstage-plugin-spectrocloud-auth-legacy/testing');
      const { startNewSystemBackend } = await import('./newBackend.mjs');
      const backend = await startNewSystemBackend({
        require,
        logger,
        catalog: fakeCatalog(catalogUsers),
        providers: url => startEmulator(`${url}/api/auth`),
      });
      ctx.url = backend.url;
      ctx.stop = backend.stop;
      const configured = logger.lines.find(l => /Configuring auth provider: spectrocloud/.test(l));
      return configured ? 'provider configured' : '';
    });
  } else {
    await step('load packages', () => {
      ctx.authBackend = require('@backstage/plugin-auth-backend');
      ctx.backendCommon = require('@backstage/backend-common');
      ctx.config = require('@backstage/config');
      ctx.express = require('express');
      ctx.ours = require('backstage-plugin-spectrocloud-auth-legacy');
      ctx.testing = require('backstage-plugin-spectrocloud-auth-legacy/testing');
      const missing = [
        ['@backstage/plugin-auth-backend', 'createRouter', ctx.authBackend.createRouter],
        ['@backstage/backend-common', 'DatabaseManager', ctx.backendCommon.DatabaseManager],
        ['@backstage/backend-common', 'ServerTokenManager', ctx.backendCommon.ServerTokenManager],
        ['our package', 'spectrocloud', ctx.ours.spectrocloud],
        ['our package ./testing', 'startSpectroCloudEmulator', ctx.testing.startSpectroCloudEmulator],
      ].filter(([, , value]) => value === undefined);
      assert(missing.length === 0, `missing exports: ${missing.map(([p, n]) => `${p}.${n}`).join(', ')}`);
    });

    await step('legacy router with spectrocloud.create()', async () => {
      const { createRouter } = ctx.authBackend;
      const { DatabaseManager, ServerTokenManager } = ctx.backendCommon;
      const { ConfigReader } = ctx.config;
      const express = ctx.express;
      const app = express();
      ctx.server = http.createServer(app);
      await new Promise(resolve => ctx.server.listen(0, '127.0.0.1', resolve));
      const { port } = ctx.server.address();
      ctx.url = `http://127.0.0.1:${port}`;
      const authUrl = `${ctx.url}/api/auth`;
      const providers = await startEmulator(authUrl);
      const config = new ConfigReader({
        app: { baseUrl: 'http://127.0.0.1:3000' },
        backend: { baseUrl: ctx.url, listen: { port }, database: { client: 'better-sqlite3', connection: ':memory:' } },
        auth: {
          environment: 'development',
          providers,
        },
      });
      const discovery = {
        getBaseUrl: async pluginId => `${ctx.url}/api/${pluginId}`,
        getExternalBaseUrl: async pluginId => `${ctx.url}/api/${pluginId}`,
      };
      const router = await createRouter({
        logger,
        config,
        database: DatabaseManager.fromConfig(config).forPlugin('auth'),
        discovery,
        tokenManager: ServerTokenManager.noop(),
        catalogApi: fakeCatalog(catalogUsers),
        providerFactories: { spectrocloud: ctx.ours.spectrocloud.create() },
        disableDefaultProviderFactories: true,
      });
      app.use('/api/auth', router);
      app.use((error, _req, res, _next) => {
        const status = { InputError: 400, AuthenticationError: 401, NotAllowedError: 403, NotFoundError: 404 }[error.name] ?? 500;
        ctx.lastError = error;
        res.status(status).json({ error: { name: error.name, message: error.message, cause: error.cause?.message } });
      });
      const configured = logger.lines.find(l => /Configuring auth provider: spectrocloud/.test(l));
      return configured ? 'provider configured' : '';
    });
  }

  const jar = new CookieJar();
  const base = () => `${ctx.url}/api/auth/spectrocloud`;

  const startLocation = await step('start redirects to SpectroCloud', async () => {
    const response = await fetch(`${base()}/start?env=development&scope=openid`, { redirect: 'manual', headers: { cookie: jar.header() } });
    jar.update(response);
    const location = response.headers.get('location');
    assert(response.status === 302, `GET /start answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
    assert(location && location.startsWith(ctx.emulator.authorizationUrl), `unexpected redirect ${location}`);
    const url = new URL(location);
    for (const param of ['state', 'nonce', 'client_id', 'redirect_uri', 'code_challenge']) assert(url.searchParams.get(param), `authorization URL lacks ${param}`);
    assert(jar.values.has('spectrocloud-nonce'), 'no spectrocloud-nonce cookie was set');
    ctx.startLocation = location;
    assert(url.searchParams.get('code_challenge_method') === 'S256', 'no S256 PKCE challenge');
    return 'state, nonce, S256 PKCE and nonce cookie present';
  });
  void startLocation;

  await step('SpectroCloud approves and redirects back with a code', async () => {
    const url = new URL(ctx.startLocation);
    url.searchParams.set('login_hint', EMAIL);
    const response = await fetch(url, { redirect: 'manual' });
    const location = response.headers.get('location');
    assert(response.status === 302 && location, `authorization endpoint answered ${response.status}`);
    assert(new URL(location).searchParams.get('code'), 'callback URL has no code');
    ctx.callbackUrl = location;
  });

  await step('handler/frame signs the user in', async () => {
    const response = await fetch(ctx.callbackUrl, { redirect: 'manual', headers: { cookie: jar.header() } });
    jar.update(response);
    const html = await response.text();
    assert(response.status === 200, `handler/frame answered ${response.status}: ${html.slice(0, 300)}`);
    const message = readFrameMessage(html);
    assert(message.type === 'authorization_response', `frame posted ${message.type}`);
    assert(!message.error, `sign-in error: ${message.error?.name}: ${message.error?.message}${ctx.lastError ? '' : ''}`);
    const { response: result } = message;
    assert(result.profile?.email === EMAIL, `profile.email is ${result.profile?.email}`);
    assert(typeof result.providerInfo?.idToken === 'string', 'providerInfo.idToken missing');
    const token = result.backstageIdentity?.token;
    assert(token, 'no Backstage identity token');
    const sub = decodeJwtPayload(token).sub;
    assert(sub === 'user:default/alice', `Backstage token sub is ${sub}`);
    assert(jar.values.has('spectrocloud-refresh-token'), 'no spectrocloud-refresh-token cookie was set');
    return `identity ${sub}`;
  });

  await step('refresh returns a fresh session from the cookie', async () => {
    const response = await fetch(`${base()}/refresh?env=development`, {
      headers: { cookie: jar.header(), 'x-requested-with': 'XMLHttpRequest' },
    });
    jar.update(response);
    const text = await response.text();
    assert(response.status === 200, `GET /refresh answered ${response.status}: ${text.slice(0, 300)}`);
    const body = JSON.parse(text);
    assert(body.profile?.email === EMAIL, `profile.email is ${body.profile?.email}`);
    assert(body.backstageIdentity?.token, 'no Backstage identity token');
    assert(body.backstageIdentity.identity?.userEntityRef === 'user:default/alice', `userEntityRef is ${body.backstageIdentity.identity?.userEntityRef}`);
    return 'identity user:default/alice';
  });

  await step('refresh without X-Requested-With is refused', async () => {
    const response = await fetch(`${base()}/refresh?env=development`, { headers: { cookie: jar.header() } });
    await response.text();
    assert(response.status === 401, `answered ${response.status}, expected 401`);
  });

  await step('logout clears the session cookie', async () => {
    const response = await fetch(`${base()}/logout?env=development`, {
      method: 'POST',
      headers: { cookie: jar.header(), 'x-requested-with': 'XMLHttpRequest' },
    });
    jar.update(response);
    const text = await response.text();
    assert(response.status === 200, `POST /logout answered ${response.status}: ${text.slice(0, 300)}`);
    assert(!jar.values.has('spectrocloud-refresh-token'), 'spectrocloud-refresh-token cookie is still set');
  });

  await step('refresh after logout is refused', async () => {
    const response = await fetch(`${base()}/refresh?env=development`, {
      headers: { cookie: jar.header(), 'x-requested-with': 'XMLHttpRequest' },
    });
    await response.text();
    assert(response.status === 401, `answered ${response.status}, expected 401`);
  });

  await ctx.stop?.();
  if (ctx.server) {
    ctx.server.closeAllConnections?.();
    await new Promise(resolve => ctx.server.close(() => resolve()));
  }
  await ctx.emulator?.close();

  const failed = results.filter(r => !r.ok);
  if (failed.length && logger.lines.length) {
    console.log('--- router log (last 15 lines) ---');
    for (const line of logger.lines.slice(-15)) console.log(`  ${line.slice(0, 400)}`);
  }
  console.log(`${results.length - failed.length} passed, ${failed.length} failed`);
  process.exit(failed.length ? 1 : 0);
}

main().catch(error => {
  console.log(`FAIL harness: ${error?.stack ?? error}`);
  console.log(`${results.filter(r => r.ok).length} passed, ${results.filter(r => !r.ok).length + 1} failed`);
  process.exit(1);
});
