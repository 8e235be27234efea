import { randomBytes } from 'node:crypto';
import type { OAuthStartRequest } from '@backstage/plugin-auth-backend';
import type { AuthResolverContext } from '@backstage/plugin-auth-node';
import type { SpectroCloudAuthError } from '../../errors';
import { SpectroCloudAuthHandlers } from '../../handlers/SpectroCloudAuthHandlers';
import { failed, passed, type CheckResult } from '../DoctorCheck';
import { FIXES } from '../fixes';
import type { DeploymentSettings } from './configCheck';

/** Values that change with every sign-in: shown as placeholders. */
const PER_SIGN_IN = ['state', 'nonce', 'code_challenge'];

/**
 * `start-url`: a dry `/start`. The provider's own handlers build the
 * authorization URL (same strategy, PKCE, nonce and scope code as a real
 * sign-in), for a request no browser made; the URL is checked, not followed.
 */
export async function checkStartUrl(deployment: DeploymentSettings): Promise<CheckResult> {
  const { settings, providerId, environment } = deployment;
  const fail = (problem: string) => failed('start-url', problem, FIXES.startUrl);
  const handlers = new SpectroCloudAuthHandlers({
    providerId,
    environment,
    config: settings,
    appUrl: deployment.appUrl,
    authBaseUrl: deployment.authBaseUrl,
    // start() never resolves a user; nothing here is read.
    resolverContext: {} as AuthResolverContext,
    logger: { info: () => undefined, warn: () => undefined },
  });
  const request = {
    query: {},
    body: {},
    headers: {},
    scope: '',
    state: { nonce: randomBytes(16).toString('base64url'), env: environment },
  } as unknown as OAuthStartRequest;
  let location: URL;
  try {
    location = new URL((await handlers.start(request)).url);
  } catch (error) {
    const { code, message } = error as SpectroCloudAuthError;
    return fail(`${message}${code ? ` [${code}]` : ''}`);
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
