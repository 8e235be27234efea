import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/*
 * A narrow public surface (issue 25, point 4): the current names of each entry, as
 * its API report lists them (api-reports/<entry>/report.api.md, kept in step with
 * the built dist/*.d.ts by `scripts/api-report.mjs --check`). A name kept only so that
 * no import disappears is `@deprecated` and does not count.
 */
const root = join(__dirname, '..', '..');

/** The exported names of an entry's report, each with whether its release tag line says @deprecated. */
function reportedNames(entry: string): Array<{ name: string; deprecated: boolean }> {
  const report = readFileSync(join(root, 'api-reports', entry, 'report.api.md'), 'utf8');
  const names = new Map<string, boolean>();
  const declaration = /^\/\/ (@[^\n]*)\n(?:\/\/[^\n]*\n)*export (?:declare )?(?:abstract )?(?:class|interface|type|function|const|enum|namespace) (\w+)/gm;
  for (const match of report.matchAll(declaration)) {
    const deprecated = /@deprecated/.test(match[1]);
    // A value and a type of one name (a deprecated class alias) count once, current if either is.
    names.set(match[2], (names.get(match[2]) ?? true) && deprecated);
  }
  return [...names].map(([name, deprecated]) => ({ name, deprecated }));
}

const current = (entry: string) => reportedNames(entry).filter(n => !n.deprecated).map(n => n.name).sort();

describe('the public surface', () => {
  it('of .../palette-tokens is at most 15 current names: what a plugin author needs', () => {
    const names = current('palette-tokens');
    expect(names.length, names.join(', ')).toBeLessThanOrEqual(15);
    expect(names).toEqual(
      [
        'createPaletteApiClient',
        'createPaletteTokenCache',
        'createPaletteTokenMiddleware',
        'getPaletteToken',
        'PaletteApiClient',
        'PaletteTokenCache',
        'PaletteTokenGrant',
        'PaletteTokenHandoffOptions',
        'PaletteTokenRecord',
        'seedCompatibleApi',
        'SPECTROCLOUD_REAUTH_HEADER',
        'SpectroCloudAuthError',
        'SpectroCloudErrorCode',
        'SpectroCloudLogger',
        'SpectroCloudStore',
      ].sort(),
    );
  });

  it('of .../palette-tokens still exports, deprecated, every name it exported before issue 25', () => {
    const deprecated = reportedNames('palette-tokens').filter(n => n.deprecated).map(n => n.name);
    for (const old of [
      'createSessionTokenCache', 'CreateTokenStoreOptions', 'SessionTokenCache', 'SessionTokenCacheOptions', 'SpectroCloudSession', 'RememberSessionInput',
      'SpectroCloudTokenStore', 'SessionTokenLogger', 'MemoryTokenStore', 'MemoryTokenStoreOptions', 'RedisTokenStore', 'RedisTokenStoreOptions', 'RedisClient',
      'EncryptedTokenStore', 'EncryptedTokenStoreOptions', 'BackstageCacheTokenStore', 'BackstageCache', 'BackstageCacheClient', 'BackstageCacheTokenStoreOptions',
      'RedisConnectionConfig', 'RedisEndpoint', 'RedisTlsConfig', 'getSpectroCloudToken', 'LegacyIdentityVerifier', 'VerifiedBackstageIdentity',
      'SpectroCloudTokenHandoffOptions', 'SpectroCloudTokenGrant', 'createSpectroCloudTokenMiddleware', 'createSpectroCloudErrorHandler',
      'SpectroCloudTokenMiddlewareOptions', 'SpectroCloudRequest', 'SpectroCloudRequestContext', 'PaletteApiClientOptions', 'PaletteApiResponse',
      'PaletteApiRequest', 'SeedCompatibleSessionTokenApi', 'SpectroCloudPaletteTokenErrorCode', 'SpectroCloudPaletteTokenError',
      'SpectroCloudTokenStoreError', 'SpectroCloudAuthenticationError', 'SpectroCloudNotAllowedError', 'SpectroCloudReAuthRequiredError',
    ]) {
      expect(deprecated, old).toContain(old);
    }
  });

  it('of .../session-token-service names the Palette-token service, the old names deprecated', () => {
    expect(current('session-token-service')).toEqual(['PaletteTokenGrant', 'PaletteTokenService', 'paletteTokenServiceRef', 'SPECTROCLOUD_REAUTH_HEADER'].sort());
    const deprecated = reportedNames('session-token-service').filter(n => n.deprecated).map(n => n.name).sort();
    expect(deprecated).toEqual(['SpectroCloudSessionTokenService', 'spectroCloudSessionTokenServiceRef', 'SpectroCloudTokenGrant'].sort());
  });
});
