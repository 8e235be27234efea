import type { EmulatorFaults } from './types';

/**
 * Merges a partial fault set in place; `undefined` (or `null` over HTTP)
 * switches a fault off. Values are checked first, so a typo fails the test
 * that made it instead of silently doing nothing.
 */
export function applyFaults(target: EmulatorFaults, changes: Partial<EmulatorFaults>): void {
  checkFaults(changes);
  Object.assign(target, changes);
  for (const key of Object.keys(target) as Array<keyof EmulatorFaults>) {
    if (target[key] === undefined) delete target[key];
  }
}

/** Empties the object in place, so references held by tests stay live. */
export function clearFaults(target: EmulatorFaults): void {
  for (const key of Object.keys(target) as Array<keyof EmulatorFaults>) delete target[key];
}

type JsonFault = Exclude<keyof EmulatorFaults, 'idToken'>;

const MiB = 1024 * 1024;
const TEN_YEARS_SECONDS = 10 * 366 * 24 * 3600;

const boolean = (v: unknown) => (typeof v === 'boolean' ? undefined : 'must be a boolean');
const byteCount = (max: number) => (v: unknown) =>
  Number.isInteger(v) && (v as number) >= 0 && (v as number) <= max ? undefined : `must be a whole number of bytes from 0 to ${max}`;

const CHECKS: Record<JsonFault, (value: unknown) => string | undefined> = {
  deny: boolean,
  jwksDown: boolean,
  discoveryDown: boolean,
  tokenStall: boolean,
  tokenStatus: v => (Number.isInteger(v) && (v as number) >= 400 && (v as number) <= 599 ? undefined : 'must be an HTTP error status (400-599)'),
  tokenDelayMs: v => (typeof v === 'number' && v >= 0 ? undefined : 'must be a number of milliseconds'),
  // Bounded: the emulator builds these in memory.
  tokenBodyBytes: byteCount(64 * MiB),
  idTokenPadBytes: byteCount(16 * MiB),
  discoveryIssuer: v => (typeof v === 'string' && v.length > 0 ? undefined : 'must be a non-empty string'),
  authorizationResponseIss: v => (typeof v === 'string' && v.length > 0 ? undefined : 'must be a non-empty string'),
  omitAuthorizationResponseIss: boolean,
  jwksPath: v => (typeof v === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(v) && v !== 'keys' ? undefined : 'must be one path segment of letters, digits, "_" or "-", other than "keys"'),
  paletteApiRefusals: v => (Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 1_000 ? undefined : 'must be a whole number from 0 to 1000'),
  dateSkewSeconds: v =>
    Number.isInteger(v) && Math.abs(v as number) <= TEN_YEARS_SECONDS ? undefined : `must be a whole number of seconds within ±${TEN_YEARS_SECONDS}`,
};

/** Throws naming the first fault whose value is wrong; `undefined` always passes (it switches a fault off). */
function checkFaults(changes: Partial<EmulatorFaults>): void {
  for (const [key, value] of Object.entries(changes ?? {})) {
    if (value === undefined) continue;
    if (key === 'idToken') {
      if (typeof value !== 'function') throw new Error('SpectroCloud emulator: fault "idToken" must be a function');
      continue;
    }
    const check = Object.hasOwn(CHECKS, key) ? CHECKS[key as JsonFault] : undefined;
    if (!check) throw new Error(`SpectroCloud emulator: unknown fault "${key}"`);
    const problem = check(value);
    if (problem) throw new Error(`SpectroCloud emulator: fault "${key}" ${problem}`);
  }
}

/**
 * Checks a fault set that arrived as JSON at the admin endpoint. `idToken`
 * cannot travel over HTTP (it is a function): it can only be cleared with null.
 */
export function parseFaultsJson(body: unknown): Partial<EmulatorFaults> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new Error('the body must be a JSON object');
  const faults: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    const check = Object.hasOwn(CHECKS, key) ? CHECKS[key as JsonFault] : undefined;
    if (value === null && (check || key === 'idToken')) {
      faults[key] = undefined;
      continue;
    }
    if (key === 'idToken') throw new Error('"idToken" is a function and can only be set through the JS API');
    if (!check) throw new Error(`unknown fault "${key}"`);
    const problem = check(value);
    if (problem) throw new Error(`"${key}" ${problem}`);
    faults[key] = value;
  }
  return faults as Partial<EmulatorFaults>;
}

/** The JSON view of the current faults (a set `idToken` shows as `true`). */
export function faultsJson(faults: EmulatorFaults): Record<string, unknown> {
  return { ...faults, ...(faults.idToken ? { idToken: true } : {}) };
}
