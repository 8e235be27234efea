import jwt from 'jsonwebtoken';
import type { EmulatorState } from './state';

/**
 * The audiences of an `id_token_hint`, when it is an ID token this emulator
 * signed: RS256 under a key still in the JWKS, our issuer. Its expiry is not
 * checked, as RP-Initiated Logout 1.0 allows (sign-out often comes after the
 * ID token expired). Undefined for anything else.
 */
export function idTokenHintAudiences(state: EmulatorState, hint: string): string[] | undefined {
  const key = state.keys.publicKey(jwt.decode(hint, { complete: true })?.header.kid);
  if (!key) return undefined;
  try {
    const claims = jwt.verify(hint, key, {
      algorithms: ['RS256'],
      issuer: state.urls.issuer,
      ignoreExpiration: true,
      clockTimestamp: Math.floor(state.options.clock() / 1000),
    });
    if (typeof claims !== 'object') return undefined;
    const aud = claims.aud;
    const audiences = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud.filter(a => typeof a === 'string') : [];
    return audiences.length ? audiences : undefined;
  } catch {
    return undefined; // any verification failure means "not our ID token": the caller answers 400
  }
}
