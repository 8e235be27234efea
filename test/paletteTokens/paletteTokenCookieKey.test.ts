import { ConfigReader } from '@backstage/config';
import type { ConfigSchema } from '@backstage/config-loader';
import type { JsonObject } from '@backstage/types';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkApiTokenCookie } from '../../src/doctor/checks/apiTokenCookieCheck';
import type { DeploymentSettings } from '../../src/doctor/checks/configCheck';
import { readPaletteTokenCookie, readTokenStoreBlock } from '../../src/paletteTokens/stores/config';
import { loadPackageConfigSchema, validateTokenStore } from '../support/configSchema';

/*
 * `tokenStore.paletteTokenCookie` is the setting's name in the one vocabulary (issue 25);
 * `tokenStore.apiTokenCookie`, the name released docs used, is still read. Both are held
 * against the reader the provider uses, the schema Backstage loads, and the doctor.
 */

describe('tokenStore.paletteTokenCookie and its old name apiTokenCookie', () => {
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

  it('refuses the two names set to different values, naming both', () => {
    expect(() => readPaletteTokenCookie({ paletteTokenCookie: false, apiTokenCookie: true }, 'spectrocloud-eu')).toThrow(
      expect.objectContaining({
        code: 'ERR_CONFIG',
        configKey: 'auth.providers.spectrocloud-eu.tokenStore.apiTokenCookie',
        message: expect.stringContaining('auth.providers.spectrocloud-eu.tokenStore.paletteTokenCookie'),
      }),
    );
  });

  it.each(['paletteTokenCookie', 'apiTokenCookie'])('refuses a %s that is not a boolean, naming its path', key => {
    expect(() => readPaletteTokenCookie({ [key]: 'yes' })).toThrow(
      expect.objectContaining({ configKey: `auth.providers.spectrocloud.tokenStore.${key}` }),
    );
  });

  it('is a known setting of every store type', () => {
    for (const type of ['memory', 'backstage-cache'] as const) {
      expect(() => readTokenStoreBlock({ type, paletteTokenCookie: true }, { backstageCacheAvailable: true })).not.toThrow();
      expect(() => readTokenStoreBlock({ type, apiTokenCookie: true }, { backstageCacheAvailable: true })).not.toThrow();
    }
  });

  describe('in config.d.ts as Backstage loads it', () => {
    let schema: ConfigSchema;
    beforeAll(async () => {
      schema = await loadPackageConfigSchema();
    }, 60_000);
    const validate = (tokenStore: JsonObject) => validateTokenStore(schema, tokenStore);

    it.each(['paletteTokenCookie', 'apiTokenCookie'])('accepts %s as a boolean and refuses anything else', key => {
      expect(() => validate({ type: 'memory', [key]: true })).not.toThrow();
      expect(() => validate({ type: 'memory', [key]: 'yes' })).toThrow(`at /auth/providers/spectrocloud/tokenStore/${key}`);
    });
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
