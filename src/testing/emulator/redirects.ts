import type { Response } from 'express';

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

export function redirectError(res: Response, target: RedirectTarget, error: string, description: string): void {
  redirectBack(res, target, { error, error_description: description });
}
