import type { SpectroCloudAuthError } from '../../errors';
import type { OutboundClient } from '../../http/OutboundClient';
import type { ResolvedEndpoints } from '../../oidc/EndpointResolver';
import { failed, passed, type CheckResult } from '../DoctorCheck';
import { FIXES } from '../fixes';
import type { DeploymentSettings } from './configCheck';

/** The HTTP Date header counts whole seconds. */
const DATE_RESOLUTION_SECONDS = 1;

/**
 * `clock-skew`: this machine's clock against the tenant's HTTP `Date`
 * header. ID tokens carry `iat`/`exp` from the tenant's clock; a skew beyond
 * clockTolerance makes every sign-in fail with "iat is in the future" or
 * "expired". The request's own duration is taken out (mid-point). The
 * request goes through the provider's outbound client (proxy, CA, deadline).
 */
export async function checkClockSkew(
  { settings }: DeploymentSettings,
  http: OutboundClient,
  endpoints: ResolvedEndpoints,
  clock: () => number = Date.now,
): Promise<CheckResult> {
  const fail = (problem: string) => failed('clock-skew', problem, FIXES.clockSkew);
  let serverDate: number;
  let midpoint: number;
  try {
    const sent = clock();
    const response = await http.request('jwks', endpoints.jwksUrl);
    const received = clock();
    const header = response.headers.date;
    // The header drops the milliseconds: the middle of that second is the best estimate.
    serverDate = header ? Date.parse(header) + 500 : Number.NaN;
    if (Number.isNaN(serverDate)) return fail('the tenant sent no usable HTTP Date header; cannot compare clocks');
    midpoint = (sent + received) / 2;
  } catch (error) {
    const { code, message } = error as SpectroCloudAuthError;
    return fail(`could not reach the tenant to read its clock: ${message}${code ? ` [${code}]` : ''}`);
  }
  const skewSeconds = Math.round((serverDate - midpoint) / 1000);
  const direction = skewSeconds > 0 ? 'behind' : 'ahead of';
  const detail = skewSeconds === 0 ? 'this machine and the tenant agree' : `this machine is ${Math.abs(skewSeconds)}s ${direction} the tenant`;
  if (Math.abs(skewSeconds) > settings.clockTolerance + DATE_RESOLUTION_SECONDS) {
    return fail(`${detail}, more than clockTolerance (${settings.clockTolerance}s): ID tokens would be refused`);
  }
  return passed('clock-skew', `${detail} (within clockTolerance ${settings.clockTolerance}s)`);
}
