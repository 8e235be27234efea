import { failed, passed, type CheckResult } from '../DoctorCheck';
import { FIXES } from '../fixes';
import type { DeploymentSettings } from './configCheck';
import { isLoopbackHost } from './isLoopbackHost';

/**
 * `callback-url`: where SpectroCloud sends the browser back. The legacy
 * router serves `/<providerId>/handler/frame`; anything else is a 404 after
 * a successful SpectroCloud login, and plain http leaks the code.
 */
export function checkCallbackUrl({ settings, providerId }: DeploymentSettings): CheckResult {
  const fail = (problem: string) => failed('callback-url', problem, FIXES.callbackUrl);
  let url: URL;
  try {
    url = new URL(settings.callbackUrl);
  } catch {
    return fail('callbackUrl is not an absolute URL');
  }
  const suffix = `/${providerId}/handler/frame`;
  if (!url.pathname.replace(/\/+$/, '').endsWith(suffix)) {
    return fail(`callbackUrl path '${url.pathname}' does not end with '${suffix}'`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    return fail(`callbackUrl uses ${url.protocol.replace(':', '')}; only https is safe outside localhost`);
  }
  if (url.search || url.hash) return fail('callbackUrl must not carry a query or fragment');
  return passed('callback-url', `${url.origin}${url.pathname} (register exactly this redirect URI at SpectroCloud)`);
}
