import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { startSpectroCloudEmulator, type SpectroCloudEmulator } from '../../src/testing';

const usersFile = join(dirname(fileURLToPath(import.meta.url)), '..', 'emulator-users.yaml');

/**
 * The SpectroCloud side of both examples: the real tenant when `env` names one
 * (SPECTROCLOUD_CLIENT_ID, _SECRET and _AUTHORIZATION_URL), otherwise the
 * local emulator with a fresh client secret, written into `env` for the
 * example's app-config.yaml. Also a session secret when none is set.
 * Resolves the emulator it started (`undefined` for a real tenant).
 */
export async function startExampleTenant(
  env: NodeJS.ProcessEnv,
  options: { callbackUrl: string; postLogoutRedirectUris: string[]; emulatorPort?: number },
): Promise<SpectroCloudEmulator | undefined> {
  let emulator: SpectroCloudEmulator | undefined;
  if (!(env.SPECTROCLOUD_CLIENT_ID && env.SPECTROCLOUD_CLIENT_SECRET && env.SPECTROCLOUD_AUTHORIZATION_URL)) {
    env.SPECTROCLOUD_CLIENT_ID = 'backstage-example';
    env.SPECTROCLOUD_CLIENT_SECRET = randomBytes(24).toString('base64url');
    emulator = await startSpectroCloudEmulator({
      port: options.emulatorPort ?? 7010,
      clients: [
        {
          clientId: env.SPECTROCLOUD_CLIENT_ID,
          clientSecret: env.SPECTROCLOUD_CLIENT_SECRET,
          redirectUris: [options.callbackUrl],
          // Where sign-out returns to after ending the emulator's session (signOutOfSpectroCloud).
          postLogoutRedirectUris: [...new Set(options.postLogoutRedirectUris)],
        },
      ],
      usersFile,
      // EMULATOR_ID_TOKEN_TTL=<seconds>: short sessions, e.g. to see the session-end warning (default an hour).
      ...(env.EMULATOR_ID_TOKEN_TTL ? { idTokenTtlSeconds: Number(env.EMULATOR_ID_TOKEN_TTL) } : {}),
    });
    env.SPECTROCLOUD_AUTHORIZATION_URL = emulator.authorizationUrl;
  }
  env.SESSION_SECRET ??= randomBytes(24).toString('base64url');
  return emulator;
}
