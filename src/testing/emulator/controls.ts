import { idTokenClaims } from './claims';
import { applyFaults, clearFaults } from './faults';
import { signJwt } from './signJwt';
import type { EmulatorState } from './state';
import type { EmulatorFaults, SpectroCloudEmulatorControls } from './types';

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
    // Assigning a whole object keeps the live one the routes read.
    set faults(next: EmulatorFaults) {
      clearFaults(state.faults);
      applyFaults(state.faults, next);
    },
    setFaults: f => applyFaults(state.faults, f),
    resetFaults: () => clearFaults(state.faults),
    rotateKeys: opts => state.keys.rotate(opts?.keepOld ?? true),
    signIdToken: (claims, opts) => signJwt(claims, state.keys.current, opts),
    idTokenClaims(email, overrides = {}) {
      const user = state.users.find(email);
      if (!user) throw new Error(`SpectroCloud emulator: no user with email "${email}"`);
      const base = idTokenClaims(user, {
        issuer: urls.issuer,
        clientId: state.options.clients[0].clientId,
        ttlSeconds: state.options.idTokenTtlSeconds,
      });
      return { ...base, ...overrides };
    },
    signSessionToken: claims => state.sessionTokens.sign(claims),
    verifySessionToken: token => state.sessionTokens.verify(token),
    addUser: u => state.users.add(u),
  };
  return Object.assign(controls, extras);
}
