import type { Response } from 'express';

/** What an authorization response reads of the emulator's state (EmulatorState has it): declared here so this file needs nothing above it. */
export interface ResponseIssuerSource {
  faults: { omitAuthorizationResponseIss?: boolean; authorizationResponseIss?: string };
  options: { authorizationResponseIss: boolean };
  urls: { issuer: string };
}

/** Where the user agent goes back to: a registered redirect_uri and the client's state. */
export interface RedirectTarget {
  redirectUri: string;
  state?: string;
}

/** 302 back to the client, keeping any query the redirect_uri already has and echoing `state`. */
export function redirectBack(res: Response, target: RedirectTarget, params: Record<string, string>): void {
  const url = new URL(target.redirectUri);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  if (target.state !== undefined) url.searchParams.set('state', target.state);
  // The Location may carry a code: keep it out of every cache.
  res.set('Cache-Control', 'no-store').redirect(302, url.toString());
}

/** An authorization response: with `iss` (RFC 9207) when the option or a fault says so. */
export function authorizationResponse(res: Response, state: ResponseIssuerSource, target: RedirectTarget, params: Record<string, string>): void {
  const { faults, options, urls } = state;
  const iss = faults.omitAuthorizationResponseIss ? undefined : (faults.authorizationResponseIss ?? (options.authorizationResponseIss ? urls.issuer : undefined));
  redirectBack(res, target, iss === undefined ? params : { ...params, iss });
}

export function redirectError(res: Response, state: ResponseIssuerSource, target: RedirectTarget, error: string, description: string): void {
  authorizationResponse(res, state, target, { error, error_description: description });
}
