import { createHash, createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import type { Request } from 'express';
import { SpectroCloudRequestError } from '../errors';
import { deriveKey } from './deriveKey';

export interface BoundValues {
  /** OIDC `nonce` sent to SpectroCloud and expected back in the ID token */
  nonce: string;
  /** PKCE code verifier (43 base64url characters) */
  codeVerifier: string;
  /** S256 challenge of the verifier */
  codeChallenge: string;
}

/**
 * Binds the OIDC nonce and the PKCE verifier to the browser without a server
 * session: both are HMACs of the random value in the OAuthAdapter's
 * httpOnly `<provider>-nonce` cookie, keyed by a server secret. Only the
 * browser that started the sign-in sends that cookie back, and only the
 * server can turn it into the verifier.
 */
export class BrowserBinding {
  // A KeyObject made once: createHmac then does not import the raw key again per HMAC.
  private readonly key: KeyObject;

  constructor(clientSecret: string, private readonly providerId: string) {
    this.key = createSecretKey(deriveKey(clientSecret, 'browser-binding'));
  }

  /** At `/start`: the adapter's fresh nonce, also written to the browser's cookie. */
  forStart(adapterNonce: string): BoundValues {
    return this.derive(adapterNonce);
  }

  /** At `/handler/frame`: from the cookie the browser sent back. */
  forCallback(req: Request): BoundValues {
    const cookieNonce = (req.cookies as Record<string, string> | undefined)?.[`${this.providerId}-nonce`];
    if (!cookieNonce) {
      throw new SpectroCloudRequestError(
        'ERR_BROWSER_BINDING',
        'The sign-in cookie is missing: start the sign-in again from the same browser (cookies must be enabled)',
      );
    }
    return this.derive(cookieNonce);
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
