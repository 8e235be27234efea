import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { readAppOriginOptions } from '../../examples/shared/appOrigin';
import { startExample, type RunningExample } from '../../examples/legacy-backend/startExample';

describe('readAppOriginOptions (pnpm example)', () => {
  it('reads APP_ORIGIN as a comma-separated list of origins', () => {
    expect(readAppOriginOptions([], { APP_ORIGIN: 'http://localhost:3001, https://backstage.example.com/' })).toEqual({
      appOrigins: ['http://localhost:3001', 'https://backstage.example.com'],
      appPage: true,
    });
  });

  it('reads --app-origin in both forms, and --no-app-page', () => {
    expect(readAppOriginOptions(['--app-origin', 'http://localhost:3001', '--app-origin=http://127.0.0.1:3002', '--no-app-page'], {})).toEqual({
      appOrigins: ['http://localhost:3001', 'http://127.0.0.1:3002'],
      appPage: false,
    });
    expect(readAppOriginOptions([], { APP_ORIGIN: 'http://localhost:3000', EXAMPLE_APP_PAGE: 'off' }).appPage).toBe(false);
  });

  it('has no app origin and keeps the page by default', () => {
    expect(readAppOriginOptions([], {})).toEqual({ appOrigins: [], appPage: true });
  });

  it('refuses a URL with a path, naming where it came from and the origin to write', () => {
    expect(() => readAppOriginOptions([], { APP_ORIGIN: 'http://localhost:3001/catalog' })).toThrow(
      'APP_ORIGIN: "http://localhost:3001/catalog" is not an origin; write scheme, host and port only, e.g. http://localhost:3001',
    );
    expect(() => readAppOriginOptions(['--app-origin', 'localhost:3001'], {})).toThrow(/^--app-origin: "localhost:3001" is not/);
    expect(() => readAppOriginOptions(['--app-origin', 'not a url'], {})).toThrow('--app-origin: "not a url" is not a URL; write an origin such as http://localhost:3001');
  });

  it('refuses the page turned off without an app to sign in from, an empty flag and unknown arguments', () => {
    expect(() => readAppOriginOptions(['--no-app-page'], {})).toThrow(/no app origin is set: add APP_ORIGIN=/);
    expect(() => readAppOriginOptions(['--app-origin'], {})).toThrow('--app-origin needs an origin');
    expect(() => readAppOriginOptions(['--app-orign=http://localhost:3001'], {})).toThrow(/unknown argument "--app-orign=/);
  });
});

const refresh = '/api/auth/spectrocloud/refresh?optional&env=development';
const preflight = (example: RunningExample, from: string) =>
  request(example.backendUrl).options(refresh).set('Origin', from).set('Access-Control-Request-Method', 'GET');

describe('pnpm example with an app origin beside its own page', () => {
  const origin = 'http://localhost:3001';
  let example: RunningExample;
  beforeAll(async () => {
    example = await startExample({ backendPort: 0, appPort: 0, emulatorPort: 0, appOrigins: [origin] });
  });
  afterAll(async () => {
    await example?.close();
  });

  // CORS reads auth.experimentalExtraAllowedOrigins, the key the auth router's origin filter reads.
  it('answers CORS for its page and the app origin (auth.experimentalExtraAllowedOrigins), and not for another origin', async () => {
    const page = new URL(example.appUrl).origin;
    expect(page).not.toBe(origin);
    expect((await preflight(example, page)).headers['access-control-allow-origin']).toBe(page);
    const allowed = await preflight(example, origin);
    expect(allowed.headers['access-control-allow-origin']).toBe(origin);
    expect(allowed.headers['access-control-allow-credentials']).toBe('true');
    expect((await preflight(example, 'http://localhost:3002')).headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('pnpm example with an app origin and no page of its own', () => {
  const origin = 'http://localhost:3001';
  let example: RunningExample;
  beforeAll(async () => {
    example = await startExample({ backendPort: 0, emulatorPort: 0, appOrigins: [origin], appPage: false });
  });
  afterAll(async () => {
    await example?.close();
  });

  it("makes the app origin the app's base URL, the one CORS answers", async () => {
    expect(example.appUrl).toBe(origin);
    expect((await preflight(example, origin)).headers['access-control-allow-origin']).toBe(origin);
    expect((await preflight(example, 'http://localhost:3000')).headers['access-control-allow-origin']).toBeUndefined();
  });

  it('starts a sign-in for the app origin', async () => {
    const started = await request(example.backendUrl).get('/api/auth/spectrocloud/start').query({ env: 'development', scope: 'openid', origin });
    expect(started.status).toBe(302);
    expect(started.headers.location.startsWith(example.emulator!.issuer)).toBe(true);
  });
});
