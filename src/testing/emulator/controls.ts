import { idTokenClaims } from './claims';
import { applyFaults, clearFaults } from './faults';
import { deprecatedControls } from './deprecatedNames';
import { signJwt } from './signJwt';
import type { EmulatorState } from './state';
import type { EmulatorFaults, SpectroCloudEmulatorControls } from './types';

/** What `idTokenClaims` assumes was granted: every scope, so `groups` is in. */
const FULL_SCOPE = 'openid profile email groups';

/** The JS API over one emulator's state: what tests drive and inspect. `extras` adds e.g. `close`. */
export function createControls<E extends object>(state: EmulatorState, extras: E): SpectroCloudEmulatorControls & E {
  const { urls } = state;
  const controls: SpectroCloudEmulatorControls = {
    url: urls.url,
    issuer: urls.issuer,
    authorizationUrl: urls.authorizationUrl,
    tokenUrl: urls.tokenUrl,
    jwksUrl: urls.jwksUrl,
    userinfoUrl: urls.userinfoUrl,
    discoveryUrl: urls.discoveryUrl,
    endSessionUrl: urls.endSessionUrl,
    stats: state.stats,
    get jwks() {
      return state.keys.jwks;
    },
    get currentKid() {
      return state.keys.current.kid;
    },
    get faults() {
      return state.faults;
    },
    // Assigning a whole object keeps the live one the routes read; a bad value changes nothing.
    set faults(next: EmulatorFaults) {
      const checked: EmulatorFaults = {};
      applyFaults(checked, next);
      clearFaults(state.faults);
      Object.assign(state.faults, checked);
    },
    setFaults: f => applyFaults(state.faults, f),
    resetFaults: () => clearFaults(state.faults),
    rotateKeys: opts => state.keys.rotate(opts?.keepOld ?? true),
    withdrawKey: kid => state.keys.withdraw(kid),
    get lastAuthorizationRequest() {
      const last = state.lastAuthorizationRequest;
      return last ? structuredClone(last) : undefined;
    },
    get stalledTokenRequests() {
      return state.stalledTokenRequests.size;
    },
    signIdToken: (claims, opts) => signJwt(claims, state.keys.current, opts),
    idTokenClaims(email, overrides = {}) {
      const user = state.users.find(email);
      if (!user) throw new Error(`SpectroCloud emulator: no user with email "${email}"`);
      const now = Math.floor(state.options.clock() / 1000);
      const base = idTokenClaims(user, {
        issuer: urls.issuer,
        clientId: state.options.clients[0].clientId,
        ttlSeconds: state.options.idTokenTtlSeconds,
        now,
        authTime: now,
        scope: FULL_SCOPE,
      });
      return { ...base, ...overrides };
    },
    signPaletteToken: claims => state.paletteTokens.sign(claims),
    verifyPaletteToken: token => state.paletteTokens.verify(token),
    signOutPaletteToken: token => state.paletteTokens.signOut(token),
    ...deprecatedControls(state),
    addUser: u => state.users.add(u),
  };
  return Object.assign(controls, extras);
}
