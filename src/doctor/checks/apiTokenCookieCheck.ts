import { readPaletteTokenCookie } from '../../paletteTokens/stores/config';
import { passed, warned, type CheckResult } from '../DoctorCheck';
import { FIXES } from '../fixes';
import type { DeploymentSettings } from './configCheck';

/**
 * `api-token-cookie`: whether the raw Palette token also goes
 * to the browser in the seeds' `spectrocloud-api-token` cookie
 * (`tokenStore.paletteTokenCookie: true`, or its old name `apiTokenCookie`). It works, HttpOnly and on the API path
 * only, but the token then leaves the server: a warning, not a failure.
 */
export function checkApiTokenCookie({ provider, providerId }: DeploymentSettings): CheckResult {
  if (!readPaletteTokenCookie(provider.getOptional('tokenStore'), providerId)) {
    return passed('api-token-cookie', 'the Palette token stays server-side (no spectrocloud-api-token cookie)');
  }
  return warned(
    'api-token-cookie',
    `auth.providers.${providerId}.tokenStore.paletteTokenCookie (or apiTokenCookie) is true: every sign-in also writes the raw Palette token to the browser (spectrocloud-api-token cookie, HttpOnly)`,
    FIXES.apiTokenCookie,
  );
}
