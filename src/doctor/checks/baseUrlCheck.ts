import { failed, passed, type CheckResult } from '../DoctorCheck';
import { FIXES } from '../fixes';
import type { DeploymentSettings } from './configCheck';

/**
 * `base-urls`: `backend.baseUrl` and `app.baseUrl` agree with the callback
 * URL and with each other. SpectroCloud sends the browser to the callback
 * URL, which only this backend serves (under backend.baseUrl); the popup then
 * posts its result to app.baseUrl's origin, and an https app cannot call an
 * http backend (mixed content).
 */
export function checkBaseUrls({ settings, authBaseUrl, appUrl, backendBaseUrl, providerId }: DeploymentSettings): CheckResult {
  const fail = (problem: string) => failed('base-urls', problem, FIXES.baseUrls);
  let app: URL;
  let backend: URL;
  try {
    app = new URL(appUrl);
    backend = new URL(backendBaseUrl);
  } catch {
    return fail('app.baseUrl and backend.baseUrl must be absolute URLs');
  }
  const served = `${authBaseUrl}/${providerId}/handler/frame`;
  if (settings.callbackUrl !== new URL(served).toString()) {
    return fail(`callbackUrl ${settings.callbackUrl} is not the one this backend serves under backend.baseUrl (${served})`);
  }
  if (app.protocol === 'https:' && backend.protocol === 'http:') {
    return fail(`app.baseUrl is https but backend.baseUrl is http: the browser blocks the app's calls to the backend (mixed content)`);
  }
  return passed('base-urls', `callback under backend.baseUrl ${backend.origin}${backend.pathname.replace(/\/$/, '')}; app at ${app.origin}`);
}
