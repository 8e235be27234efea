import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXES } from '../../src/doctor/fixes';
import {
  CLIENT_ID, REDIS_PASSWORD, RUN_TIMEOUT_MS, closedPort, deployment, expectNoSecret, redisPort, runDoctorCli, runDoctorInProcess,
  setUpDoctorFixture, tearDownDoctorFixture, tenant,
} from './fixture';

/*
 * The checks that catch the mistakes which make every sign-in fail while the
 * endpoints themselves answer: each with the broken setting it must catch
 * and the control that passes, against the emulator and a real redis-server.
 */
beforeAll(setUpDoctorFixture);
afterAll(tearDownDoctorFixture);

const environment = (yaml: string) =>
  `auth:\n  providers:\n    spectrocloud:\n      development:\n${yaml.split('\n').map(line => `        ${line}`).join('\n')}\n`;
const EMAIL_RESOLVER = 'signIn:\n  resolvers:\n    - resolver: emailMatchingUserEntityProfileEmail';

describe.concurrent('doctor: what the sign-in depends on', () => {
  it('client-credentials: a wrong clientSecret is invalid_client, naming the auth method; the right one is invalid_grant', { timeout: RUN_TIMEOUT_MS }, async () => {
    const emulator = await tenant();
    const wrong = await runDoctorInProcess(await deployment('wrong-secret', emulator, environment('clientSecret: not-the-secret-0c6e2a')));
    expectNoSecret(wrong);
    expect(wrong.code).toBe(1);
    expect(wrong.lines.get('client-credentials')).toBe(
      `fail client-credentials: SpectroCloud refused clientId '${CLIENT_ID}' with client_secret_post (invalid_client, HTTP 401): wrong clientId or clientSecret, or an auth method the client does not use -> ${FIXES.clientCredentials}`,
    );
    const basic = await runDoctorInProcess(await deployment('basic', emulator, environment('tokenEndpointAuthMethod: client_secret_basic')));
    expect(basic.code, basic.stdout).toBe(0);
    expect(basic.lines.get('client-credentials')).toBe(
      `ok   client-credentials: clientId '${CLIENT_ID}' with client_secret_basic accepted: a made-up code was refused with invalid_grant (HTTP 400)`,
    );
  });

  it('client-credentials: a token endpoint that answers without OAuth errors cannot vouch for the credentials', { timeout: RUN_TIMEOUT_MS }, async () => {
    const emulator = await tenant({ tokenStatus: 502 });
    const output = await runDoctorInProcess(await deployment('token-502', emulator));
    expect(output.lines.get('client-credentials')).toMatch(/^fail client-credentials: the token endpoint answered HTTP 502 .*cannot tell whether the credentials are right -> /);
  });

  it("scope: an e-mail resolver without the 'email' scope fails; with it, it passes", { timeout: RUN_TIMEOUT_MS }, async () => {
    const emulator = await tenant();
    const broken = await runDoctorInProcess(await deployment('scope-emial', emulator, environment(`scope: openid profile emial\n${EMAIL_RESOLVER}`)));
    expect(broken.code).toBe(1);
    expect(broken.lines.get('scope')).toBe(
      "fail scope: scope 'openid profile emial': auth.providers.spectrocloud.development.signIn.resolvers[0] (emailMatchingUserEntityProfileEmail) matches by e-mail, but the scope does not request 'email' -> " +
        FIXES.scope,
    );
    const control = await runDoctorInProcess(await deployment('scope-email', emulator, environment(EMAIL_RESOLVER)));
    expect(control.lines.get('scope')).toBe("ok   scope: 'openid profile email' has what the 1 sign-in resolver(s) read");
  });

  it("scope: groupsAsOwnership without the 'groups' scope fails; with additionalScopes: groups, it passes", { timeout: RUN_TIMEOUT_MS }, async () => {
    const emulator = await tenant();
    const groups = `${EMAIL_RESOLVER}\n      groupsAsOwnership: true`;
    const broken = await runDoctorInProcess(await deployment('scope-groups', emulator, environment(groups)));
    expect(broken.lines.get('scope')).toMatch(/^fail scope: .*signIn\.resolvers\[0\]\.groupsAsOwnership reads SpectroCloud's groups, but the scope does not request 'groups' -> /);
    const control = await runDoctorInProcess(await deployment('scope-groups-ok', emulator, environment(`${groups}\nadditionalScopes: groups`)));
    expect(control.lines.get('scope')).toMatch(/^ok {3}scope: 'openid profile email groups'/);
  });

  it('callback-registered: a callback URL SpectroCloud does not know gets its error page, not its login page', { timeout: RUN_TIMEOUT_MS }, async () => {
    const emulator = await tenant();
    // The emulator registers only http://localhost:7007/api/auth/spectrocloud/handler/frame.
    const broken = await runDoctorInProcess(await deployment('callback-unregistered', emulator, 'backend:\n  baseUrl: http://localhost:7008\n'));
    expect(broken.code).toBe(1);
    expect(broken.lines.get('callback-registered')).toBe(
      'fail callback-registered: SpectroCloud answered the authorization request for http://localhost:7008/api/auth/spectrocloud/handler/frame with an error page (HTTP 400) instead of its login page: the callback URL (or clientId) is not registered -> ' +
        FIXES.callbackRegistered,
    );
    const control = await runDoctorInProcess(await deployment('callback-registered', emulator));
    expect(control.lines.get('callback-registered')).toBe(
      'ok   callback-registered: SpectroCloud shows its login page for http://localhost:7007/api/auth/spectrocloud/handler/frame (HTTP 200)',
    );
  });

  it('base-urls: a callbackUrl outside backend.baseUrl fails, and an https app with an http backend', { timeout: RUN_TIMEOUT_MS }, async () => {
    const emulator = await tenant();
    const elsewhere = await runDoctorInProcess(
      await deployment('base-urls', emulator, environment('callbackUrl: http://127.0.0.1:7007/api/auth/spectrocloud/handler/frame')),
    );
    expect(elsewhere.lines.get('base-urls')).toBe(
      `fail base-urls: callbackUrl http://127.0.0.1:7007/api/auth/spectrocloud/handler/frame is not the one this backend serves under backend.baseUrl (http://localhost:7007/api/auth/spectrocloud/handler/frame) -> ${FIXES.baseUrls}`,
    );
    const mixed = await runDoctorInProcess(
      await deployment('mixed', emulator, 'app:\n  baseUrl: https://backstage.example.com\nbackend:\n  cors:\n    origin: https://backstage.example.com\n'),
    );
    expect(mixed.lines.get('base-urls')).toMatch(/^fail base-urls: app\.baseUrl is https but backend\.baseUrl is http: .*mixed content/);
    const control = await runDoctorInProcess(await deployment('base-urls-ok', emulator));
    expect(control.lines.get('base-urls')).toBe('ok   base-urls: callback under backend.baseUrl http://localhost:7007; app at http://localhost:3000');
  });

  it('cors: no backend.cors, another origin or no credentials fail; the app origin with credentials, or one origin, passes', { timeout: RUN_TIMEOUT_MS }, async () => {
    const emulator = await tenant();
    const line = async (name: string, extra?: string, cors?: boolean) =>
      (await runDoctorInProcess(await deployment(name, emulator, extra, { cors }))).lines.get('cors');
    expect(await line('cors-none', undefined, false)).toBe(
      `fail cors: backend.cors is not set, but the app (http://localhost:3000) and the backend are on different origins -> ${FIXES.cors}`,
    );
    expect(await line('cors-other', 'backend:\n  cors:\n    origin: [http://localhost:3001, https://*.example.com]\n')).toBe(
      `fail cors: backend.cors.origin (http://localhost:3001, https://*.example.com) does not allow the app's origin http://localhost:3000 -> ${FIXES.cors}`,
    );
    expect(await line('cors-no-credentials', 'backend:\n  cors:\n    credentials: false\n')).toMatch(/^fail cors: backend\.cors\.credentials is not true/);
    expect(await line('cors-glob', 'backend:\n  cors:\n    origin: http://localhost:*\n')).toBe('ok   cors: backend.cors allows http://localhost:3000 with credentials');
    expect(await line('cors-same-origin', 'app:\n  baseUrl: http://localhost:7007\n', false)).toBe(
      'ok   cors: the app and the backend share the origin http://localhost:7007: no CORS needed',
    );
  });

  it('session-secret: too short, or missing while the oidc provider needs sessions, fails; a long one passes', { timeout: RUN_TIMEOUT_MS }, async () => {
    const emulator = await tenant();
    const line = async (name: string, extra: string) => (await runDoctorInProcess(await deployment(name, emulator, extra))).lines.get('session-secret');
    expect(await line('session-short', 'auth:\n  session:\n    secret: short\n')).toBe(
      `fail session-secret: auth.session.secret is shorter than 24 characters -> ${FIXES.sessionSecret}`,
    );
    expect(await line('session-oidc', 'auth:\n  providers:\n    oidc:\n      development:\n        clientId: other\n')).toBe(
      `fail session-secret: auth.session.secret is not set, but auth.providers.oidc keeps sign-in state in a session -> ${FIXES.sessionSecret}`,
    );
    expect(await line('session-long', 'auth:\n  session:\n    secret: a-long-random-session-secret-9f1e2d3c\n')).toBe('ok   session-secret: auth.session.secret set (not shown)');
  });

  it('token-store: a wrong Redis password or an unreachable Redis fails without printing either; the right one passes', { timeout: RUN_TIMEOUT_MS }, async () => {
    const emulator = await tenant();
    const wrongPassword = await runDoctorInProcess(
      await deployment('redis-password', emulator, `auth:\n  providers:\n    spectrocloud:\n      tokenStore:\n        redis:\n          url: redis://:wrong-${REDIS_PASSWORD}@127.0.0.1:${redisPort()}\n`),
    );
    expectNoSecret(wrongPassword);
    expect(wrongPassword.code).toBe(1);
    expect(wrongPassword.lines.get('token-store')).toMatch(/^fail token-store: .*WRONGPASS.* -> /);
    expect(wrongPassword.lines.get('token-store')!.endsWith(FIXES.tokenStore)).toBe(true);

    const down = await runDoctorInProcess(await deployment('redis-down', emulator, undefined, { redisPort: await closedPort() }));
    expectNoSecret(down);
    expect(down.lines.get('token-store')).toMatch(/^fail token-store: .*unavailable.* -> /);
    expect(down.lines.get('token-store')).not.toMatch(/127\.0\.0\.1|:\d{4,5}\b/);

    const control = await runDoctorInProcess(await deployment('redis-ok', emulator));
    expect(control.lines.get('token-store')).toMatch(/^ok {3}token-store: Redis answered/);
  });
});

describe('doctor --json, in a child process', () => {
  it('prints one JSON document with every check and exits 1 when one failed (a readiness probe reads the status)', { timeout: RUN_TIMEOUT_MS }, async () => {
    const emulator = await tenant();
    const output = await runDoctorCli(await deployment('json', emulator, environment('clientSecret: not-the-secret-0c6e2a')), {}, ['--json']);
    expectNoSecret(output);
    expect(output.code).toBe(1);
    const report = JSON.parse(output.stdout) as { ok: boolean; checks: Array<{ check: string; ok: boolean; problem?: string; fix?: string }> };
    expect(report.ok).toBe(false);
    expect(report.checks.filter(check => !check.ok).map(check => check.check)).toEqual(['client-credentials']);
    expect(report.checks.find(check => check.check === 'client-credentials')).toMatchObject({ fix: FIXES.clientCredentials });
    expect(report.checks.map(check => check.check)).toContain('start-url');
  });
});
