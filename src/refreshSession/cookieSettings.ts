import type { CookieOptions } from 'express';

export interface CookieConfigurerInput {
  providerId: string;
  baseUrl: string;
  callbackUrl: string;
  appOrigin: string;
}
export type CookieConfigurerLike = (input: CookieConfigurerInput) => {
  domain?: string;
  path: string;
  secure: boolean;
  sameSite?: 'none' | 'lax' | 'strict';
};

/**
 * The attributes the OAuthAdapter gives its refresh cookie, so our extra
 * cookies travel with it. Legacy routers before 0.20 pass no configurer;
 * this default mirrors Backstage's.
 */
export const defaultCookieConfigurer: CookieConfigurerLike = ({ callbackUrl, providerId, appOrigin }) => {
  const { hostname: domain, pathname, protocol } = new URL(callbackUrl);
  const secure = protocol === 'https:';
  const sameSite = new URL(appOrigin).hostname !== domain && secure ? 'none' : 'lax';
  const suffix = `${providerId}/handler/frame`;
  const path = pathname.endsWith(suffix) ? pathname.slice(0, -'/handler/frame'.length) : `${pathname}/${providerId}`;
  return { domain, path, secure, sameSite };
};

/**
 * plugin-auth-node's default in the new backend system: the same without a
 * `Domain` (host-only cookies).
 */
export const newSystemCookieConfigurer: CookieConfigurerLike = input => {
  const { domain: _legacyOnly, ...rest } = defaultCookieConfigurer(input);
  return rest;
};

export function adapterCookieOptions(
  configurer: CookieConfigurerLike,
  input: CookieConfigurerInput,
  maxAge: number,
): CookieOptions {
  return { httpOnly: true, sameSite: 'lax', ...configurer(input), maxAge };
}
