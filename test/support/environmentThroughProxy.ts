import type { JsonObject } from '@backstage/types';
import type { SpectroCloudEmulator } from '../../src/testing';
import type { FaultProxy } from './faultProxy';
import { CLIENT_ID, CLIENT_SECRET } from './spectroFixture';

/**
 * The provider's environment block for the emulator, with SpectroCloud's back
 * channel (token, JWKS) reached only through a fault proxy; the browser side
 * (authorize) and the issuer name stay the emulator's own.
 */
export function environmentThroughProxy(emulator: SpectroCloudEmulator, proxy: FaultProxy, extra: JsonObject = {}): JsonObject {
  const viaProxy = (url: string) => url.replace(emulator.url, proxy.origin(new URL(emulator.url).protocol.slice(0, -1)));
  return {
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    authorizationUrl: emulator.authorizationUrl,
    issuer: emulator.issuer,
    tokenUrl: viaProxy(emulator.tokenUrl),
    jwksUrl: viaProxy(emulator.jwksUrl),
    signIn: { resolvers: [{ resolver: 'emailMatchingUserEntityProfileEmail' }, { resolver: 'emailLocalPartMatchingUserEntityName' }] },
    ...extra,
  };
}
