import type { JsonObject } from '@backstage/types';
import { spectrocloud } from '../../src';
import { startSpectroCloudEmulator, type SpectroCloudEmulator, type SpectroCloudEmulatorOptions } from '../../src/testing';
import { environmentThroughProxy } from '../support/environmentThroughProxy';
import { startFaultProxy, type FaultProxy } from '../support/faultProxy';
import { startLegacyBackend } from '../support/legacyBackend';
import { CATALOG, CLIENT_ID, CLIENT_SECRET, USERS, type Fixture } from '../support/spectroFixture';

export interface ProxiedFixture extends Fixture {
  /** TCP fault proxy in front of the emulator */
  faults: FaultProxy;
}

/**
 * The emulator with a loopback TCP fault proxy in front of it, and a legacy
 * backend whose provider reaches SpectroCloud's back channel (discovery,
 * token, JWKS) only through that proxy; the browser side (authorize) goes
 * to the emulator directly.
 */
export async function startProxiedFixture(options: {
  environment?: (emulator: SpectroCloudEmulator, proxyOrigin: string) => JsonObject;
  emulator?: Partial<SpectroCloudEmulatorOptions>;
} = {}): Promise<ProxiedFixture> {
  let emulator: SpectroCloudEmulator | undefined;
  let faults: FaultProxy | undefined;
  const backend = await startLegacyBackend({
    providerFactories: { spectrocloud: spectrocloud.create() },
    users: CATALOG,
    providers: async backendUrl => {
      emulator = await startSpectroCloudEmulator({
        clients: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [`${backendUrl}/api/auth/spectrocloud/handler/frame`] }],
        users: USERS,
        autoApprove: true,
        ...options.emulator,
      });
      faults = await startFaultProxy({ target: { port: Number(new URL(emulator.url).port) } });
      return { spectrocloud: { development: environmentThroughProxy(emulator, faults, options.environment?.(emulator, faults.origin())) } };
    },
  });
  return {
    emulator: emulator!,
    faults: faults!,
    backend,
    providerBase: `${backend.authUrl}/spectrocloud`,
    async close() {
      await backend.close();
      await faults?.close();
      await emulator?.close();
    },
  };
}
