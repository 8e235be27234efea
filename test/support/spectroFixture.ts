import request from 'supertest';
import type { JsonObject } from '@backstage/types';
import { spectrocloud, type SpectroCloudProviderOptions } from '../../src';
import { startSpectroCloudEmulator, type SpectroCloudEmulator, type SpectroCloudEmulatorOptions } from '../../src/testing';
import { startLegacyBackend, userEntity, type LegacyBackend } from './legacyBackend';
import { startNewBackend } from './newBackend';
import { createSpectroCloudAuthModule } from '../../src/newBackend/module';
import { registerSecret } from './secrets';
import { CookieJar } from './cookieJar';

export { CookieJar };
import { BrowserBinding } from '../../src/signInService/BrowserBinding';
import type { Entity } from '@backstage/catalog-model';
import type { BackendFeature } from '@backstage/backend-plugin-api';

export const CLIENT_ID = 'backstage-test-client';
export const CLIENT_SECRET = 'test-client-secret-7f3a9c2e5b1d';
/** legacyBackend's default app.baseUrl */
export const DEFAULT_APP_URL = 'http://127.0.0.1:3000';
registerSecret(CLIENT_SECRET);

export const USERS = [
  { email: 'alice@example.com', given_name: 'Alice', family_name: 'Example', groups: ['platform-team', 'developers'] },
  { email: 'bob@example.com', given_name: 'Bob', family_name: 'Builder', groups: ['developers'] },
  { email: 'carol@example.com', given_name: 'Carol', family_name: 'Nocatalog', groups: ['guests'] },
];

export const CATALOG: Entity[] = [
  userEntity('alice', 'alice@example.com'),
  userEntity('bobby', 'bob@example.com'),
];

export interface Fixture {
  emulator: SpectroCloudEmulator;
  backend: LegacyBackend;
  providerBase: string;
  close(): Promise<void>;
}

/** The emulator, and a legacy backend with our provider pointed at it. */
export async function startFixture(options: {
  provider?: SpectroCloudProviderOptions;
  /** extra keys of the development block */
  environment?: JsonObject;
  /** `auth.providers.spectrocloud.tokenStore`, e.g. `{ apiTokenCookie: true }` (not with providerConfig) */
  tokenStore?: JsonObject;
  /** replaces the whole spectrocloud provider config (gets the emulator) */
  providerConfig?: (emulator: SpectroCloudEmulator) => JsonObject;
  emulator?: Partial<SpectroCloudEmulatorOptions>;
  users?: Entity[];
  appUrl?: string;
  auth?: JsonObject;
  routers?: Parameters<typeof startLegacyBackend>[0]['routers'];
  /** the legacy backend's request logger and the logger it writes to (default the test logger) */
  requestLog?: Parameters<typeof startLegacyBackend>[0]['requestLog'];
  logger?: Parameters<typeof startLegacyBackend>[0]['logger'];
  /** which Backstage backend: the legacy router (default) or the new backend system with our module */
  kind?: BackendKind;
  /** `backend.database` (the upgrade test shares one sqlite file between both kinds) */
  database?: JsonObject;
  /** further plugins of a new-system backend, e.g. one using the session-token service */
  plugins?: BackendFeature[];
  /** keys merged into a new-system backend's `backend` config, e.g. `{ cache: { store: 'memory' } }` */
  backend?: JsonObject;
} = {}): Promise<Fixture> {
  let emulator: SpectroCloudEmulator | undefined;
  const providers = async (backendUrl: string) => {
    emulator = await startSpectroCloudEmulator({
      clients: [
        {
          clientId: CLIENT_ID,
          clientSecret: CLIENT_SECRET,
          redirectUris: [`${backendUrl}/api/auth/spectrocloud/handler/frame`],
          postLogoutRedirectUris: [options.appUrl ?? DEFAULT_APP_URL],
        },
      ],
      users: USERS,
      autoApprove: true,
      ...options.emulator,
    });
    const spectroConfig = options.providerConfig?.(emulator) ?? {
      ...(options.tokenStore && { tokenStore: options.tokenStore }),
      development: {
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        authorizationUrl: emulator.authorizationUrl,
        signIn: {
          resolvers: [{ resolver: 'emailMatchingUserEntityProfileEmail' }, { resolver: 'emailLocalPartMatchingUserEntityName' }],
        },
        ...options.environment,
      },
    };
    return { spectrocloud: spectroConfig };
  };
  const common = { users: options.users ?? CATALOG, appUrl: options.appUrl, auth: options.auth, database: options.database, providers };
  const backend =
    options.kind === 'new'
      ? await startNewBackend({ ...common, features: [createSpectroCloudAuthModule({ clock: options.provider?.clock }), ...(options.plugins ?? [])], backend: options.backend, ...newOnly(options) })
      : await startLegacyBackend({ ...common, providerFactories: { spectrocloud: spectrocloud.create(options.provider) }, routers: options.routers, requestLog: options.requestLog, logger: options.logger });
  return {
    emulator: emulator!,
    backend,
    providerBase: `${backend.authUrl}/spectrocloud`,
    async close() {
      await backend.close();
      await emulator?.close();
    },
  };
}

/** The two kinds of Backstage backend a security suite runs against. */
export type BackendKind = 'legacy' | 'new';
export const BACKEND_KINDS: BackendKind[] = ['legacy', 'new'];

/** Options of the legacy factory that the module has no counterpart for fail loudly instead of being ignored. */
function newOnly(options: { provider?: SpectroCloudProviderOptions; routers?: unknown }): object {
  const unsupported = Object.keys(options.provider ?? {}).filter(key => key !== 'clock');
  if (unsupported.length > 0 || options.routers) {
    throw new Error(`startFixture: ${[...unsupported, ...(options.routers ? ['routers'] : [])].join(', ')} exist only for the legacy backend`);
  }
  return {};
}

/** Any legacy backend with the provider at /api/auth/spectrocloud. */
export type WithBackend = { backend: { url: string } };

export interface FrameResult {
  status: number;
  message: { type: string; response?: any; error?: { name: string; message: string } };
  html: string;
}

/** Reads the `authorization_response` message the handler/frame page posts to the app. */
export function readFrameMessage(html: string): FrameResult['message'] {
  const match = /var authResponse = decodeURIComponent\('([^']*)'\)/.exec(html);
  if (!match) throw new Error(`no authorization_response in page: ${html.slice(0, 200)}`);
  return JSON.parse(decodeURIComponent(match[1]));
}

/** GET /start; returns the redirect URL. */
export async function startSignIn(fixture: WithBackend, jar: CookieJar, query: Record<string, string> = {}) {
  const response = await request(fixture.backend.url)
    .get('/api/auth/spectrocloud/start')
    .query({ env: 'development', ...query })
    .set('Cookie', jar.header());
  jar.update(response.headers['set-cookie']);
  registerBoundValues(response.headers.location, jar);
  return response;
}

/**
 * The OIDC nonce and the PKCE verifier of this sign-in must never be logged:
 * register both with the log guard (the verifier is derived from the nonce
 * cookie exactly as the handlers derive it).
 */
function registerBoundValues(location: string | undefined, jar: CookieJar) {
  if (location) registerSecret(new URL(location).searchParams.get('nonce'));
  const adapterNonce = jar.values.get('spectrocloud-nonce');
  if (adapterNonce) registerSecret(new BrowserBinding(CLIENT_SECRET, 'spectrocloud').forStart(adapterNonce).codeVerifier);
}

/** Follows the emulator's authorization endpoint as a browser would, approving `email`. */
export async function authorize(location: string, email: string): Promise<string> {
  const url = new URL(location);
  url.searchParams.set('login_hint', email);
  const response = await fetch(url, { redirect: 'manual' });
  const callback = response.headers.get('location');
  if (response.status !== 302 || !callback) throw new Error(`authorization answered ${response.status}`);
  const code = new URL(callback).searchParams.get('code');
  registerSecret(code);
  return callback;
}

export async function callback(fixture: WithBackend, jar: CookieJar, callbackUrl: string): Promise<FrameResult> {
  const url = new URL(callbackUrl);
  const response = await request(fixture.backend.url).get(url.pathname + url.search).set('Cookie', jar.header());
  jar.update(response.headers['set-cookie']);
  const message = readFrameMessage(response.text);
  registerSecret(message.response?.providerInfo?.idToken);
  registerSecret(message.response?.providerInfo?.accessToken);
  registerSecret(message.response?.backstageIdentity?.token);
  return { status: response.status, message, html: response.text };
}

/** start -> authorize -> handler/frame, as one browser. */
export async function signIn(fixture: Fixture, email = 'alice@example.com', jar = new CookieJar(), query: Record<string, string> = {}) {
  const start = await startSignIn(fixture, jar, query);
  if (start.status !== 302) throw new Error(`start answered ${start.status}: ${start.text}`);
  const callbackUrl = await authorize(start.headers.location, email);
  const frame = await callback(fixture, jar, callbackUrl);
  return { jar, frame, start, callbackUrl };
}

export async function refresh(fixture: WithBackend, jar: CookieJar, query: Record<string, string> = {}) {
  const response = await request(fixture.backend.url)
    .get('/api/auth/spectrocloud/refresh')
    .query({ env: 'development', ...query })
    .set('X-Requested-With', 'XMLHttpRequest')
    .set('Cookie', jar.header());
  jar.update(response.headers['set-cookie']);
  registerSecret(response.body?.providerInfo?.idToken);
  registerSecret(response.body?.providerInfo?.accessToken);
  registerSecret(response.body?.backstageIdentity?.token);
  return response;
}

export async function logout(fixture: WithBackend, jar: CookieJar) {
  const response = await request(fixture.backend.url)
    .post('/api/auth/spectrocloud/logout')
    .query({ env: 'development' })
    .set('X-Requested-With', 'XMLHttpRequest')
    .set('Cookie', jar.header());
  jar.update(response.headers['set-cookie']);
  return response;
}
