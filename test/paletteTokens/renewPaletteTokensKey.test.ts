import type { ConfigSchema } from '@backstage/config-loader';
import type { JsonObject } from '@backstage/types';
import { beforeAll, describe, expect, it } from 'vitest';
import { readTokenStoreBlock } from '../../src/paletteTokens/stores/config';
import { loadPackageConfigSchema, validateTokenStore } from '../support/configSchema';

/*
 * `tokenStore.renewPaletteTokens` is the renewal switch's name in the one vocabulary (issue 25);
 * `tokenStore.renewSessionTokens`, the name released docs used, is still read. Both are held
 * against the reader the provider uses and the schema Backstage loads. What the switch does:
 * paletteApiClient.test.ts.
 */

describe('tokenStore.renewPaletteTokens and its old name renewSessionTokens', () => {
  it.each([
    [{}, undefined],
    [{ renewPaletteTokens: false }, false],
    [{ renewPaletteTokens: true }, true],
    [{ renewSessionTokens: false }, false],
    [{ renewSessionTokens: true }, true],
    [{ renewPaletteTokens: false, renewSessionTokens: false }, false],
  ])('reads %j as %s', (block, expected) => {
    expect(readTokenStoreBlock({ type: 'memory', ...block }).renewPaletteTokens).toBe(expected);
  });

  it('refuses the two names set to different values, naming both', () => {
    expect(() => readTokenStoreBlock({ renewPaletteTokens: true, renewSessionTokens: false }, { providerId: 'spectrocloud-eu' })).toThrow(
      expect.objectContaining({
        code: 'ERR_CONFIG',
        configKey: 'auth.providers.spectrocloud-eu.tokenStore.renewSessionTokens',
        message: expect.stringContaining('auth.providers.spectrocloud-eu.tokenStore.renewPaletteTokens'),
      }),
    );
  });

  it.each(['renewPaletteTokens', 'renewSessionTokens'])('refuses a %s that is not a boolean, naming its path', key => {
    expect(() => readTokenStoreBlock({ [key]: 'no' })).toThrow(expect.objectContaining({ configKey: `auth.providers.spectrocloud.tokenStore.${key}` }));
  });

  it('is a known setting of every store type', () => {
    for (const type of ['memory', 'backstage-cache'] as const) {
      expect(() => readTokenStoreBlock({ type, renewPaletteTokens: false }, { backstageCacheAvailable: true })).not.toThrow();
      expect(() => readTokenStoreBlock({ type, renewSessionTokens: false }, { backstageCacheAvailable: true })).not.toThrow();
    }
  });

  describe('in config.d.ts as Backstage loads it', () => {
    let schema: ConfigSchema;
    beforeAll(async () => {
      schema = await loadPackageConfigSchema();
    }, 60_000);
    const validate = (tokenStore: JsonObject) => validateTokenStore(schema, tokenStore);

    it.each(['renewPaletteTokens', 'renewSessionTokens'])('accepts %s as a boolean and refuses anything else', key => {
      expect(() => validate({ type: 'memory', [key]: false })).not.toThrow();
      expect(() => validate({ type: 'memory', [key]: 'no' })).toThrow(`at /auth/providers/spectrocloud/tokenStore/${key}`);
    });
  });
});
