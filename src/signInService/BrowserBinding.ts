import { createHash, createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';
import type { Request } from 'express';
import { SpectroCloudRequestError } from '../errors';
import { defaultCookieConfigurer } from '../refreshSession/cookieSettings';
import { deriveKey } from '../refreshSession/deriveKey';

export interface BoundValues {
  /** OIDC `nonce` sent to SpectroCloud and expected back in the ID token */
  nonce: string;
  /** PKCE code verifier (43 base64url characters) */
  codeVerifier: string;
  /** S256 challenge of the verifier */
  codeChallenge: string;
}

/** Over https: the `__Host-` cookie's SameSite, the same as the adapter's nonce cookie (see cookieSettings.ts). */
export interface HostCookieSettings {
  sameSite: 'none' | 'lax' | 'strict';
}

/**
 * The `__Host-` binding is on exactly when the backend is served over https:
 * its callback URL is https (a `__Host-` cookie needs a secure origin). Over
 * plain http it is off, and the nonce cookie alone binds (docs/security.md).
 */
export function hostCookieSettings(callbackUrl: string, appUrl: string, providerId: string): HostCookieSettings | undefined {
  if (new URL(callbackUrl).protocol !== 'https:') return undefined;
  const { sameSite } = defaultCookieConfigurer({ providerId, baseUrl: '', callbackUrl, appOrigin: new URL(appUrl).origin });
  return { sameSite: sameSite ?? 'lax' };
}

/** As long as the adapter's nonce cookie lives: a sign-in takes at most that long. */
const HOST_COOKIE_MAX_AGE_MS = 10 * 60 * 1000;

/**
 * Binds the OIDC nonce and the PKCE verifier to the browser without a server
 * session: both are HMACs of the random value in the OAuthAdapter's
 * httpOnly `<provider>-nonce` cookie, keyed by a server secret. Only the
 * browser that started the sign-in sends that cookie back, and only the
 * server can turn it into the verifier.
 *
 * The nonce cookie can be planted by any host that may set cookies for the
 * backend's domain (a sibling subdomain: cookie tossing), and with it a
 * callback URL of the planter's own sign-in signs the victim in as the
 * planter (login CSRF). Over https the sign-in is therefore also bound to a
 * `__Host-` cookie (Secure, Path=/, no Domain: browsers take it only from the
 * backend's own origin) holding an HMAC of the nonce; the callback refuses a
 * nonce cookie without its matching `__Host-` cookie.
 */
export class BrowserBinding {
  // A KeyObject made once: createHmac then does not import the raw key again per HMAC.
  private readonly key: KeyObject;
  private readonly hostCookieName: string;

  /** `hostCookie`: set when the backend is served over https (its callback URL is https). */
  constructor(
    clientSecret: string,
    private readonly providerId: string,
    private readonly hostCookie?: HostCookieSettings,
  ) {
    this.key = createSecretKey(deriveKey(clientSecret, 'browser-binding'));
    this.hostCookieName = `__Host-${providerId}-sign-in`;
  }

  /** At `/start`: the adapter's fresh nonce, also written to the browser's cookie; over https also the `__Host-` cookie. */
  forStart(adapterNonce: string, req?: Request): BoundValues {
    if (this.hostCookie) this.setHostCookie(adapterNonce, req);
    return this.derive(adapterNonce);
  }

  /** At `/handler/frame`: from the cookie(s) the browser sent back. */
  forCallback(req: Request): BoundValues {
    const cookieNonce = (req.cookies as Record<string, string> | undefined)?.[`${this.providerId}-nonce`];
    if (!cookieNonce) {
      throw new SpectroCloudRequestError(
        'ERR_BROWSER_BINDING',
        'The sign-in cookie is missing: start the sign-in again from the same browser (cookies must be enabled)',
      );
    }
    if (this.hostCookie) {
      this.checkHostCookie(cookieNonce, req);
      // One callback per sign-in: the cookie is spent, and not sent with every later request to the backend.
      req.res?.clearCookie(this.hostCookieName, { httpOnly: true, secure: true, path: '/', sameSite: this.hostCookie.sameSite });
    }
    return this.derive(cookieNonce);
  }

  private setHostCookie(adapterNonce: string, req: Request | undefined) {
    // Without a response the cookie is not set and the callback fails closed.
    req?.res?.cookie(this.hostCookieName, this.mac('host-cookie', adapterNonce), {
      httpOnly: true,
      secure: true,
      path: '/',
      sameSite: this.hostCookie!.sameSite,
      maxAge: HOST_COOKIE_MAX_AGE_MS,
    });
  }

  /** Only the backend's own origin can have set it, so a planted nonce cookie has no matching one. */
  private checkHostCookie(cookieNonce: string, req: Request) {
    const sent = (req.cookies as Record<string, string> | undefined)?.[this.hostCookieName];
    if (!sent) {
      throw new SpectroCloudRequestError(
        'ERR_BROWSER_BINDING',
        `The sign-in's ${this.hostCookieName} cookie is missing: start the sign-in again from the same browser, over https`,
      );
    }
    if (!sameString(sent, this.mac('host-cookie', cookieNonce))) {
      throw new SpectroCloudRequestError(
        'ERR_BROWSER_BINDING',
        `The sign-in cookies do not belong together (${this.hostCookieName} does not match the nonce cookie): this browser did not start this sign-in; start it again`,
      );
    }
  }

  private derive(adapterNonce: string): BoundValues {
    const codeVerifier = this.mac('pkce-verifier', adapterNonce);
    return {
      nonce: this.mac('oidc-nonce', adapterNonce),
      codeVerifier,
      codeChallenge: createHash('sha256').update(codeVerifier).digest('base64url'),
    };
  }

  private mac(label: string, adapterNonce: string): string {
    return createHmac('sha256', this.key).update(`${label}:${adapterNonce}`).digest('base64url');
  }
}

function sameString(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
