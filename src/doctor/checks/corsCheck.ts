import { Minimatch } from 'minimatch';
import { failed, passed, type CheckResult } from '../DoctorCheck';
import { FIXES } from '../fixes';
import type { DeploymentSettings } from './configCheck';

/**
 * `cors`: the app calls the backend's `/refresh` with its cookies from the
 * app's origin. The legacy router has no CORS of its own; the backend's
 * `backend.cors` must allow that origin with credentials. Origins are matched
 * as Backstage matches them (minimatch, case-insensitive, no globstar).
 */
export function checkCors({ root, appUrl, backendBaseUrl }: DeploymentSettings): CheckResult {
  const fail = (problem: string) => failed('cors', problem, FIXES.cors);
  const appOrigin = new URL(appUrl).origin;
  if (appOrigin === new URL(backendBaseUrl).origin) return passed('cors', `the app and the backend share the origin ${appOrigin}: no CORS needed`);
  const cors = root.getOptionalConfig('backend.cors');
  if (!cors) return fail(`backend.cors is not set, but the app (${appOrigin}) and the backend are on different origins`);
  const raw = cors.getOptional('origin');
  const origins = typeof raw === 'string' ? [raw] : Array.isArray(raw) ? raw.filter((o): o is string => typeof o === 'string') : [];
  if (!origins.some(pattern => new Minimatch(pattern, { nocase: true, noglobstar: true }).match(appOrigin))) {
    return fail(`backend.cors.origin (${origins.join(', ') || 'none'}) does not allow the app's origin ${appOrigin}`);
  }
  if (cors.getOptionalBoolean('credentials') !== true) {
    return fail('backend.cors.credentials is not true: the browser would not send the session cookie with /refresh');
  }
  return passed('cors', `backend.cors allows ${appOrigin} with credentials`);
}
