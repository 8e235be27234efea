import type { JsonObject } from '@backstage/types';
import { expect } from 'vitest';
import { startSpectroCloudEmulator, type EmulatorFaults, type SpectroCloudEmulator, type SpectroCloudEmulatorOptions } from '../../src/testing';
import { CATALOG, CLIENT_ID, CLIENT_SECRET, CookieJar, DEFAULT_APP_URL, refresh, signIn, USERS, type FrameResult } from '../support/spectroFixture';
import type { ConformanceBackend, StartedBackend } from './backends';

export { CookieJar };

/**
 * One test OP (the SpectroCloud emulator, misbehaving through its options
 * and faults) in front of one backend running our provider, as one file of
 * the suite shares it. Nothing here knows which backend it is.
 */
export interface Conformance {
  op: SpectroCloudEmulator;
  backend: StartedBackend;
  close(): Promise<void>;
}

export async function startConformance(
  backend: ConformanceBackend,
  options: { op?: Partial<SpectroCloudEmulatorOptions>; faults?: Partial<EmulatorFaults>; environment?: JsonObject } = {},
): Promise<Conformance> {
  let op: SpectroCloudEmulator | undefined;
  const started = await backend.start({
    users: CATALOG,
    providers: async backendUrl => {
      op = await startSpectroCloudEmulator({
        clients: [
          {
            clientId: CLIENT_ID,
            clientSecret: CLIENT_SECRET,
            redirectUris: [`${backendUrl}/api/auth/spectrocloud/handler/frame`],
            postLogoutRedirectUris: [DEFAULT_APP_URL],
          },
        ],
        users: USERS,
        autoApprove: true,
        ...options.op,
      });
      // Faults set before the backend exists: its first discovery already sees them.
      if (options.faults) op.setFaults(options.faults);
      return {
        spectrocloud: {
          development: {
            clientId: CLIENT_ID,
            clientSecret: CLIENT_SECRET,
            authorizationUrl: op.authorizationUrl,
            signIn: { resolvers: [{ resolver: 'emailMatchingUserEntityProfileEmail' }] },
            ...options.environment,
          },
        },
      };
    },
  });
  return {
    op: op!,
    backend: started,
    async close() {
      await started.close();
      await op?.close();
    },
  };
}

/** The spectroFixture helpers address `<url>/api/auth/spectrocloud`: the backend's origin. */
export function site(c: Conformance) {
  return { backend: { url: new URL(c.backend.authUrl).origin } };
}

/** start -> authorize at the OP -> handler/frame, as one browser. */
export async function signInAt(c: Conformance, email = 'alice@example.com', jar = new CookieJar()) {
  return signIn({ ...site(c), emulator: c.op, providerBase: `${c.backend.authUrl}/spectrocloud`, close: async () => {} } as never, email, jar);
}

export function refreshAt(c: Conformance, jar: CookieJar) {
  return refresh(site(c), jar);
}

/** The code of the backend's last "sign-in failed" log line (the popup shows only name and message). */
export function lastFailureCode(c: Conformance): string | undefined {
  const line = [...c.backend.logLines].reverse().find(entry => entry.includes('SpectroCloud sign-in failed: '));
  return line ? /sign-in failed: (ERR_[A-Z_]+)/.exec(line)?.[1] : undefined;
}

/** The sign-in completed with a Backstage identity for `userEntityRef`. */
export function expectSignedIn(frame: FrameResult, userEntityRef = 'user:default/alice') {
  expect(frame.message.error).toBeUndefined();
  expect(frame.message.response.backstageIdentity.identity.userEntityRef).toBe(userEntityRef);
}

/** The sign-in was refused with `code`, and no Backstage identity was issued. */
export function expectRefused(c: Conformance, frame: FrameResult, code: string) {
  expect(frame.message.error).toBeDefined();
  expect(frame.message.response).toBeUndefined();
  expect(lastFailureCode(c)).toBe(code);
}
