import { randomBytes } from 'node:crypto';
import type { Request } from 'express';
import type { SpectroCloudAuthError } from '../../errors';
import { createSignInServiceDeps } from '../../composition/createSignInService';
import { SignInService } from '../../signInService/SignInService';
import { failed, passed, type CheckResult } from '../DoctorCheck';
import { FIXES } from '../fixes';
import type { DeploymentSettings } from './configCheck';

/** Values that change with every sign-in: shown as placeholders. */
const PER_SIGN_IN = ['state', 'nonce', 'code_challenge'];

/**
 * `start-url`: a dry `/start`. The provider's own sign-in service builds the
 * authorization URL (same strategy, PKCE, nonce and scope code as a real
 * sign-in), for a request no browser made; the URL is checked, not followed.
 */
export async function checkStartUrl(deployment: DeploymentSettings): Promise<CheckResult> {
  const { settings, providerId, environment } = deployment;
  const fail = (problem: string) => failed('start-url', problem, FIXES.startUrl);
  const deps = createSignInServiceDeps({
    providerId,
    environment,
    config: settings,
    appUrl: deployment.appUrl,
    authBaseUrl: deployment.authBaseUrl,
    logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
    warmDiscovery: false,
  });
  const nonce = randomBytes(16).toString('base64url');
  let location: URL;
  try {
    const started = await new SignInService(deps).start({
      req: { query: {}, body: {}, headers: {} } as unknown as Request,
      cookieNonce: nonce,
      // The state's content is the backend's business; the dry run only needs one to be sent.
      encodedState: Buffer.from(`nonce=${nonce}&env=${environment}`).toString('hex'),
      state: {},
    });
    location = new URL(started.url);
  } catch (error) {
    const { code, message } = error as SpectroCloudAuthError;
    return fail(`${message}${code ? ` [${code}]` : ''}`);
  } finally {
    deps.http.close();
  }
  const params = location.searchParams;
  const expected: Array<[string, (value: string | null) => boolean, string]> = [
    ['client_id', v => v === settings.clientId, 'the configured clientId'],
    ['redirect_uri', v => v === settings.callbackUrl, 'the callback URL'],
    ['response_type', v => v === 'code', "'code'"],
    ['scope', v => (v ?? '').split(' ').includes('openid'), "a list with 'openid'"],
    ['code_challenge_method', v => v === 'S256', "'S256'"],
    ['code_challenge', v => !!v, 'a PKCE challenge'],
    ['state', v => !!v, 'a state'],
    ['nonce', v => !!v, 'a nonce'],
  ];
  const wrong = expected.filter(([name, ok]) => !ok(params.get(name)));
  if (wrong.length > 0) {
    return fail(`the authorization URL lacks ${wrong.map(([name, , want]) => `${name} (${want})`).join(', ')}`);
  }
  const authorizationUrl = new URL(settings.authorizationUrl);
  if (location.origin !== authorizationUrl.origin || location.pathname !== authorizationUrl.pathname) {
    return fail('the authorization URL does not point at authorizationUrl');
  }
  for (const name of PER_SIGN_IN) params.set(name, '...');
  return passed('start-url', location.toString());
}
