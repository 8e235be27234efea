import { ConfigReader } from '@backstage/config';
import type { ConfigSchema } from '@backstage/config-loader';
import type { JsonObject } from '@backstage/types';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkApiTokenCookie } from '../../src/doctor/checks/apiTokenCookieCheck';
import type { DeploymentSettings } from '../../src/doctor/checks/configCheck';
import { readPaletteTokenCookie, readTokenStoreBlock } from '../../src/paletteTokens/stores/config';
import { loadPackageConfigSchema, validateTokenStore } from '../support/configSchema';

/*
 * The `tokenStore` keys renamed for the one vocabulary (issue 25): `paletteTokenCookie` (released as
 * `apiTokenCookie`) and `renewPaletteTokens` (released as `renewSessionTokens`). Both names of each are
 * still read, and are held against the reader the provider uses, the schema Backstage loads, and (for the
 * cookie) the doctor. What the switches do: paletteTokenCookie.test.ts, paletteApiClient.test.ts.
 */

/** Each renamed key: its two names, how the provider reads it, two values that disagree, a value that is no boolean. */
const RENAMED = [
  {
    current: 'paletteTokenCookie',
    released: 'apiTokenCookie',
    read: (block: unknown, providerId?: string) => readPaletteTokenCookie(block, providerId),
    disagreeing: { paletteTokenCookie: false, apiTokenCookie: true },
    valid: true,
    notBoolean: 'yes',
  },
  {
    current: 'renewPaletteTokens',
    released: 'renewSessionTokens',
    read: (block: unknown, providerId?: string) => readTokenStoreBlock(block, { providerId }).renewPaletteTokens,
    disagreeing: { renewPaletteTokens: true, renewSessionTokens: false },
    valid: false,
    notBoolean: 'no',
  },
] as const;

describe.each(RENAMED)('tokenStore.$current and its old name $released', ({ current, released, read, disagreeing, valid, notBoolean }) => {
  it('refuses the two names set to different values, naming both', () => {
    expect(() => read(disagreeing, 'spectrocloud-eu')).toThrow(
      expect.objectContaining({
        code: 'ERR_CONFIG',
        configKey: `auth.providers.spectrocloud-eu.tokenStore.${released}`,
        message: expect.stringContaining(`auth.providers.spectrocloud-eu.tokenStore.${current}`),
      }),
    );
  });

  it.each([current, released])('refuses a %s that is not a boolean, naming its path', key => {
    expect(() => read({ [key]: notBoolean })).toThrow(expect.objectContaining({ configKey: `auth.providers.spectrocloud.tokenStore.${key}` }));
  });

  it('is a known setting of every store type', () => {
    for (const type of ['memory', 'backstage-cache'] as const) {
      expect(() => readTokenStoreBlock({ type, [current]: valid }, { backstageCacheAvailable: true })).not.toThrow();
      expect(() => readTokenStoreBlock({ type, [released]: valid }, { backstageCacheAvailable: true })).not.toThrow();
    }
  });

  describe('in config.d.ts as Backstage loads it', () => {
    let schema: ConfigSchema;
    beforeAll(async () => {
      schema = await loadPackageConfigSchema();
    }, 60_000);
    const validate = (tokenStore: JsonObject) => validateTokenStore(schema, tokenStore);

    it.each([current, released])('accepts %s as a boolean and refuses anything else', key => {
      expect(() => validate({ type: 'memory', [key]: valid })).not.toThrow();
      expect(() => validate({ type: 'memory', [key]: notBoolean })).toThrow(`at /auth/providers/spectrocloud/tokenStore/${key}`);
    });
  });
});

describe('reading tokenStore.paletteTokenCookie under either name', () => {
  it.each([
    [{}, false],
    [{ paletteTokenCookie: true }, true],
    [{ paletteTokenCookie: false }, false],
    [{ apiTokenCookie: true }, true],
    [{ apiTokenCookie: false }, false],
    [{ paletteTokenCookie: true, apiTokenCookie: true }, true],
  ])('reads %j as %s', (block, expected) => {
    expect(readPaletteTokenCookie({ type: 'memory', ...block })).toBe(expected);
    expect(readPaletteTokenCookie(undefined)).toBe(false);
  });

  it.each(['paletteTokenCookie', 'apiTokenCookie'])('makes the doctor warn under either name (%s)', key => {
    const provider = new ConfigReader({ tokenStore: { type: 'memory', [key]: true } });
    const result = checkApiTokenCookie({ provider, providerId: 'spectrocloud' } as unknown as DeploymentSettings);
    expect(result).toMatchObject({ check: 'api-token-cookie', ok: true, warning: true });
    const off = checkApiTokenCookie({ provider: new ConfigReader({ tokenStore: { type: 'memory' } }), providerId: 'spectrocloud' } as unknown as DeploymentSettings);
    expect(off).toMatchObject({ ok: true });
    expect(off).not.toHaveProperty('warning');
  });
});

describe('reading tokenStore.renewPaletteTokens under either name', () => {
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
});
