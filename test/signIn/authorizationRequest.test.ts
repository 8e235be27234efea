import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import jwt from 'jsonwebtoken';
import { ConfigReader } from '@backstage/config';
import { readEnvironmentConfig } from '../../src/config/readEnvironmentConfig';
import { SpectroCloudAuthMetrics } from '../../src';
import { callback, CookieJar, signIn, startFixture, startSignIn, type Fixture } from '../support/spectroFixture';

/** Follows /start's redirect at the emulator as the browser would, without adding a hint of our own. */
async function followToCallback(location: string): Promise<string> {
  const response = await fetch(location, { redirect: 'manual' });
  const next = response.headers.get('location');
  if (response.status !== 302 || !next) throw new Error(`authorization answered ${response.status}`);
  return next;
}

describe('login_hint from /start', () => {
  let fixture: Fixture;
  const metrics = new SpectroCloudAuthMetrics();
  beforeAll(async () => {
    fixture = await startFixture({ provider: { metrics } });
  });
  afterAll(() => fixture?.close());

  it('forwards login_hint to SpectroCloud, which signs in the hinted user', async () => {
    const jar = new CookieJar();
    const start = await startSignIn(fixture, jar, { login_hint: 'bob@example.com' });
    expect(new URL(start.headers.location).searchParams.get('login_hint')).toBe('bob@example.com');
    const frame = await callback(fixture, jar, await followToCallback(start.headers.location));
    expect(frame.message.response.backstageIdentity.identity.userEntityRef).toBe('user:default/bobby');
  });

  it('sends no login_hint when /start had none', async () => {
    const start = await startSignIn(fixture, new CookieJar());
    expect(new URL(start.headers.location).searchParams.has('login_hint')).toBe(false);
  });

  it.each([
    ['with a space', 'bob @example.com'],
    ['longer than an email address can be', `${'b'.repeat(250)}@example.com`],
    ['with a control character', 'bob\u0000@example.com'],
  ])('refuses a login_hint %s with ERR_LOGIN_HINT_INVALID and does not echo it', async (_, hint) => {
    const response = await request(fixture.backend.url)
      .get('/api/auth/spectrocloud/start')
      .query({ env: 'development', login_hint: hint });
    expect(response.status).toBe(400);
    // Backstage's error handler echoes the request URL; our message does not repeat the hint.
    expect(response.body.error.name).toBe('SpectroCloudRequestError');
    expect(response.body.error.message).toContain('login_hint parameter of /start must be one value');
    expect(response.body.error.message).not.toContain('example.com');
  });

  it('refuses login_hint given twice', async () => {
    const response = await request(fixture.backend.url).get('/api/auth/spectrocloud/start?env=development&login_hint=a@x.io&login_hint=b@x.io');
    expect(response.status).toBe(400);
  });
});

describe('startUrlSearchParams', () => {
  let fixture: Fixture;
  const metrics = new SpectroCloudAuthMetrics();
  beforeAll(async () => {
    fixture = await startFixture({
      provider: { metrics },
      environment: { startUrlSearchParams: { acr_values: 'urn:spectrocloud:mfa', max_age: 300, ui_locales: 'de' } },
    });
  });
  afterAll(() => fixture?.close());

  it('adds the configured parameters to the authorization URL, next to our own', async () => {
    const params = new URL((await startSignIn(fixture, new CookieJar(), { login_hint: 'bob@example.com' })).headers.location).searchParams;
    expect(Object.fromEntries(params)).toMatchObject({
      acr_values: 'urn:spectrocloud:mfa',
      max_age: '300',
      ui_locales: 'de',
      login_hint: 'bob@example.com',
      response_type: 'code',
      code_challenge_method: 'S256',
    });
  });

  it('signs in when auth_time is as recent as max_age asks; SpectroCloud echoes the acr', async () => {
    const { frame } = await signIn(fixture, 'alice@example.com');
    expect(frame.message.error).toBeUndefined();
    const claims = jwt.decode(frame.message.response.providerInfo.idToken) as jwt.JwtPayload;
    expect(claims.acr).toBe('urn:spectrocloud:mfa');
    expect(typeof claims.auth_time).toBe('number');
  });

  it('refuses an ID token whose auth_time is older than max_age + clockTolerance (ERR_ID_TOKEN_CLAIM, claim auth_time)', async () => {
    fixture.emulator.setFaults({ idToken: ({ claims, sign }) => sign({ ...claims, auth_time: (claims.iat as number) - 300 - 31 }) });
    try {
      const { frame } = await signIn(fixture, 'alice@example.com');
      expect(frame.message.error?.name).toBe('SpectroCloudTokenError');
      expect(frame.message.error?.message).toContain('"auth_time" claim is older than max_age allows');
    } finally {
      fixture.emulator.setFaults({});
    }
  });

  it('accepts an auth_time within the clock tolerance', async () => {
    fixture.emulator.setFaults({ idToken: ({ claims, sign }) => sign({ ...claims, auth_time: (claims.iat as number) - 300 - 29 }) });
    try {
      const { frame } = await signIn(fixture, 'alice@example.com');
      expect(frame.message.error).toBeUndefined();
    } finally {
      fixture.emulator.setFaults({});
    }
  });

  it('refuses an ID token without auth_time when max_age was sent', async () => {
    fixture.emulator.setFaults({ idToken: ({ claims, sign }) => sign({ ...claims, auth_time: undefined }) });
    try {
      const { frame } = await signIn(fixture, 'alice@example.com');
      expect(frame.message.error?.message).toContain('missing required "auth_time" claim');
      expect(metrics.snapshot().signInFailures.ERR_ID_TOKEN_CLAIM).toBe(2);
    } finally {
      fixture.emulator.setFaults({});
    }
  });

  it('refuses an ID token whose acr is not among the acr_values sent (OIDC Core 3.1.3.7 step 12)', async () => {
    fixture.emulator.setFaults({ idToken: ({ claims, sign }) => sign({ ...claims, acr: 'urn:spectrocloud:password' }) });
    try {
      const { frame } = await signIn(fixture, 'alice@example.com');
      expect(frame.message.error?.message).toContain('unexpected "acr" claim value');
    } finally {
      fixture.emulator.setFaults({});
    }
  });
});

describe('startUrlSearchParams config errors', () => {
  const PATH = 'auth.providers.spectrocloud.development';
  const read = (startUrlSearchParams: unknown) =>
    readEnvironmentConfig(
      new ConfigReader({ clientId: 'c', clientSecret: 's', authorizationUrl: 'https://console.example.com/v1/oidc/tenant/t/auth', startUrlSearchParams } as never),
      { path: PATH, authBaseUrl: 'http://localhost:7007/api/auth', providerId: 'spectrocloud' },
    );
  it.each([
    [{ state: 'x' }, `'${PATH}.startUrlSearchParams.state' cannot be set`],
    [{ nonce: 'x' }, 'it binds the ID token to this browser'],
    [{ redirect_uri: 'https://evil.example' }, 'set callbackUrl instead'],
    [{ scope: 'openid' }, 'set scope or additionalScopes instead'],
    [{ client_id: 'x' }, 'set clientId instead'],
    [{ code_challenge: 'x' }, 'PKCE'],
    [{ response_type: 'token' }, 'always code'],
    [{ max_age: 'five minutes' }, `Invalid '${PATH}.startUrlSearchParams.max_age' value`],
    [{ acr_values: ['a', 'b'] }, 'Expected a string or number'],
    [['acr_values'], 'Expected a map of parameter names'],
  ])('refuses %j', (params, message) => {
    expect(() => read(params)).toThrow(expect.objectContaining({ code: 'ERR_CONFIG', message: expect.stringContaining(message) }));
  });

  it('reads max_age as the auth_time limit', () => {
    expect(read({ max_age: 0, acr_values: 'mfa' })).toMatchObject({ maxAge: 0, startUrlSearchParams: { max_age: '0', acr_values: 'mfa' } });
  });
});
