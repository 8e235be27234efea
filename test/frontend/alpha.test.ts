import { describe, expect, it } from 'vitest';
import { ApiBlueprint } from '@backstage/frontend-plugin-api';
import { createApiRef } from '@backstage/core-plugin-api';
import spectroCloudAuthPluginDefault, {
  createSpectroCloudAuthApiExtension,
  spectroCloudAuthApi,
  spectroCloudAuthApiRef,
  spectroCloudAuthPlugin,
} from '../../src/alpha';
import type { SpectroCloudAuthApi } from '../../src/frontend';
import { spectroCloudAuthApiFactory } from '../../src/frontend';

describe('alpha: new frontend system', () => {
  it('exports the plugin as default, with id spectrocloud-auth', () => {
    expect(spectroCloudAuthPluginDefault).toBe(spectroCloudAuthPlugin);
    expect(spectroCloudAuthPlugin.id).toBe('spectrocloud-auth');
  });

  it('registers an api extension attached to the app root', () => {
    expect(spectroCloudAuthPlugin.getExtension('api:spectrocloud-auth')).toMatchObject({
      kind: 'api',
      namespace: 'spectrocloud-auth',
      attachTo: { id: 'root', input: 'apis' },
      factory: (spectroCloudAuthApi as unknown as { factory: unknown }).factory,
    });
  });

  it('outputs the SpectroCloud auth API factory', () => {
    // No @backstage/frontend-test-utils here: run the extension factory directly (0.10 internals, kept to one place).
    const factory = (spectroCloudAuthApi as unknown as { factory(ctx: unknown): Iterable<{ id: string; value: unknown }> }).factory;
    const outputs = [...factory({ node: {}, config: {}, inputs: {} })];
    expect(outputs).toEqual([{ $$type: expect.anything(), id: ApiBlueprint.dataRefs.factory.id, value: spectroCloudAuthApiFactory }]);
    expect(spectroCloudAuthApiFactory.api).toBe(spectroCloudAuthApiRef);
  });

  it('makes an api extension per extra provider id, providing that tenant\'s API ref', () => {
    const euRef = createApiRef<SpectroCloudAuthApi>({ id: 'core.auth.spectrocloud-eu' });
    const extension = createSpectroCloudAuthApiExtension({ apiRef: euRef, providerId: 'spectrocloud-eu' });
    expect(extension).toMatchObject({ kind: 'api', name: 'spectrocloud-eu', attachTo: { id: 'root', input: 'apis' } });
    const factory = (extension as unknown as { factory(ctx: unknown): Iterable<{ value: { api: unknown } }> }).factory;
    const [output] = [...factory({ node: {}, config: {}, inputs: {} })];
    expect(output.value.api).toBe(euRef);
  });
});
