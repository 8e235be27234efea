import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext } from 'playwright-core';
import { startExample } from '../../examples/legacy-backend/startExample';
import { startNewExample } from '../../examples/new-backend/startNewExample';
import { startSpectroCloudEmulator, type SpectroCloudEmulator } from '../../src/testing';
import { closeQuietly, launchChromium, newContext } from '../support/browser';
import { authMessages, openApp, reloadApp, signInThroughPopup, userButton, waitForText } from '../support/pages';
import { getFreePort } from '../support/redisServer';
import { registerSecret } from '../support/secrets';

/**
 * The upgrade as a person meets it: signed in on `pnpm example` (legacy), the
 * operator switches the same deployment (ports, client secret, tenant) to
 * `pnpm example:new-backend`, the user reloads the page. Legacy cookies carry
 * `Domain=<host>`, the new system's are host-only: sign-out must leave no
 * stale copy behind that would sign the user in again or shadow the next sign-in.
 */
/** A host name of its own (cookies with `Domain=localhost` are host-only, which would hide the difference); *.localhost is loopback. */
const HOST = 'backstage.localhost';

describe('a signed-in browser across the upgrade to the new backend system', () => {
  let emulator: SpectroCloudEmulator;
  let browser: Browser;
  let context: BrowserContext;
  let running: { close(): Promise<void> } | undefined;
  let ports: { backendPort: number; appPort: number; emulatorPort: number };
  let env: Record<string, string>;

  beforeAll(async () => {
    ports = { backendPort: await getFreePort(), appPort: await getFreePort(), emulatorPort: 0 };
    const secret = randomBytes(24).toString('base64url');
    registerSecret(secret);
    emulator = await startSpectroCloudEmulator({
      clients: [
        {
          clientId: 'backstage-upgrade',
          clientSecret: secret,
          redirectUris: [`http://${HOST}:${ports.backendPort}/api/auth/spectrocloud/handler/frame`],
          postLogoutRedirectUris: [`http://${HOST}:${ports.appPort}`],
        },
      ],
      usersFile: fileURLToPath(new URL('../../examples/emulator-users.yaml', import.meta.url)),
    });
    // The deployment's secrets, the same before and after.
    env = {
      ...(process.env as Record<string, string>),
      SPECTROCLOUD_CLIENT_ID: 'backstage-upgrade',
      SPECTROCLOUD_CLIENT_SECRET: secret,
      SPECTROCLOUD_AUTHORIZATION_URL: emulator.authorizationUrl,
      SESSION_SECRET: randomBytes(24).toString('base64url'),
    };
    browser = await launchChromium({ extraArgs: [`--host-resolver-rules=MAP ${HOST} 127.0.0.1`] });
    context = await newContext(browser);
  });
  afterAll(async () => {
    await closeQuietly(context);
    await closeQuietly(browser);
    await running?.close();
    await emulator?.close();
  });

  it('stays signed in after the switch, signs out for good, and signs in again', async () => {
    running = await startExample({ ...ports, env, hostname: HOST });
    const page = await openApp(context, `http://${HOST}:${ports.appPort}`);
    await signInThroughPopup(page, emulator.issuer, userButton('alice@example.com'));
    await waitForText(page, '#who', 'user:default/alice');
    const legacyCookie = (await context.cookies()).find(cookie => cookie.name === 'spectrocloud-refresh-token');
    expect(legacyCookie?.domain).toBe(`.${HOST}`);
    await running.close();

    running = await startNewExample({ ...ports, env, hostname: HOST });
    await reloadApp(page);
    await waitForText(page, '#who', 'user:default/alice');
    expect(await page.textContent('#status')).toBe('Signed in');

    // signOutOfSpectroCloud is on in the example: after POST /logout the window goes to SpectroCloud's
    // end_session_endpoint (the URL from the module's /refresh) and comes back to the app.
    const endSession = page.waitForRequest(request => request.url().startsWith(emulator.endSessionUrl));
    const backAtApp = page.waitForResponse(
      response => response.request().isNavigationRequest() && response.url().startsWith(`http://${HOST}:${ports.appPort}`),
    );
    await page.click('#sign-out');
    expect(new URL((await endSession).url()).searchParams.get('id_token_hint')).toMatch(/^eyJ/);
    await backAtApp;
    await waitForText(page, '#status', 'Signed out');
    await reloadApp(page);
    await waitForText(page, '#status', 'Signed out');
    expect((await context.cookies()).map(cookie => cookie.name)).not.toContain('spectrocloud-refresh-token');

    // SpectroCloud's session ended too: the popup stops at the login page again.
    await signInThroughPopup(page, emulator.issuer, userButton('alice@example.com'));
    expect((await authMessages(page)).at(-1)?.error).toBeUndefined();
    await waitForText(page, '#who', 'user:default/alice');
    await reloadApp(page);
    await waitForText(page, '#who', 'user:default/alice');
  }, 120_000);
});
