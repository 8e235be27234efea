/**
 * The clock of the session-end renewal tests. ID tokens live 7 minutes first, so core-app-api does not
 * refresh a tab on its own during a test (it refreshes within 5 minutes of the expiry), and the lead time
 * (8 minutes) shows the warning at once; a renewed token lives 15 minutes, so the warning goes after it.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { BrowserHarness } from './harness';

export const FIRST_TTL_S = 420;
export const RENEWED_TTL_S = 900;
export const LEAD_TIME_S = 480;
export const TEST_TIMEOUT_MS = 120_000;
export const WARNING = /Your SpectroCloud session ends at/;

/**
 * Has the emulator sign ID tokens that live `seconds` (FIRST_TTL_S at the start of each test; a test sets
 * RENEWED_TTL_S before it renews). A jti per token: two tokens signed in the same second still differ by
 * more than their signature.
 */
export function useIdTokenLifetime(files: { readonly harness: BrowserHarness }): { seconds: number } {
  const lifetime = { seconds: FIRST_TTL_S };
  beforeAll(() => {
    files.harness.emulator.setFaults({
      idToken: ({ claims, sign }) => sign({ ...claims, exp: Number(claims.iat) + lifetime.seconds, jti: randomUUID() }),
    });
  });
  beforeEach(() => {
    lifetime.seconds = FIRST_TTL_S;
  });
  afterAll(() => files.harness.emulator.resetFaults());
  return lifetime;
}
