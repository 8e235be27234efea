import type { Request } from 'express';
import { encodeState, type OAuthStartRequest } from '@backstage/plugin-auth-backend';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure, startLegacyHandlersOnLocalIssuer, type LegacyHandlersOnLocalIssuer } from '../support/legacyHandlersOnLocalIssuer';

/*
 * The redirect checks of /start and the callback, through the legacy `SpectroCloudAuthHandlers` over
 * `createSignInService` on a frozen clock against a local issuer (support/legacyHandlersOnLocalIssuer.ts):
 * a redirectUrl off the app's origin is refused, at the callback before the code is exchanged.
 */
let unit: LegacyHandlersOnLocalIssuer;
beforeAll(async () => {
  unit = await startLegacyHandlersOnLocalIssuer();
});
afterAll(() => unit?.close());

describe('redirect checks', () => {
  const state = (redirectUrl: string) => ({ nonce: 'adapter-nonce-1234567890', env: 'development', flow: 'redirect', redirectUrl });

  it.each(['https://evil.example.net/steal', 'https://backstage.example.com.evil.net/', 'https://backstage.example.com@evil.net/'])(
    '/start refuses redirectUrl %s with ERR_REDIRECT_NOT_ALLOWED',
    async redirectUrl => {
      const req = { state: state(redirectUrl), scope: '', query: {} } as unknown as OAuthStartRequest;
      const error = await failure(unit.handlers.start(req));
      expect(error).toMatchObject({ code: 'ERR_REDIRECT_NOT_ALLOWED', statusCode: 403 });
    },
  );

  it.each(['https://evil.example.net/steal', 'https://backstage.example.com.evil.net/'])(
    'the callback refuses a state whose redirectUrl is %s, before exchanging the code',
    async redirectUrl => {
      const before = unit.issuer.tokenRequests.length;
      const req = {
        query: { code: 'authorization-code-0123456789', state: encodeState(state(redirectUrl) as never) },
        // A valid browser binding, so only the redirect check can stop this request.
        cookies: { 'spectrocloud-nonce': 'adapter-nonce-1234567890' },
      } as unknown as Request;
      const error = await failure(unit.handlers.handler(req));
      expect(error.code).toBe('ERR_REDIRECT_NOT_ALLOWED');
      expect(unit.issuer.tokenRequests.length).toBe(before);
    },
  );
});
