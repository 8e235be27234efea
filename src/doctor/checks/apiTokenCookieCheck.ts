import { readPaletteTokenCookie } from '../../paletteTokens/stores/config';
import { passed, warned, type CheckResult } from '../DoctorCheck';
import { FIXES } from '../fixes';
import type { DeploymentSettings } from './configCheck';

/**
 * `api-token-cookie`: whether SpectroCloud's raw HS256 session token also goes
 * to the browser in the seeds' `spectrocloud-api-token` cookie
 * (`tokenStore.apiTokenCookie: true`). It works, HttpOnly and on the API path
 * only, but the token then leaves the server: a warning, not a failure.
 */
export function checkApiTokenCookie({ provider, providerId }: DeploymentSettings): CheckResult {
  if (!readPaletteTokenCookie(provider.getOptional('tokenStore'), providerId)) {
    return passed('api-token-cookie', "SpectroCloud's session token stays server-side (no spectrocloud-api-token cookie)");
  }
  return warned(
    'api-token-cookie',
    `auth.providers.${providerId}.tokenStore.apiTokenCookie is true: every sign-in also writes SpectroCloud's raw session token to the browser (spectrocloud-api-token cookie, HttpOnly)`,
    FIXES.apiTokenCookie,
  );
}
