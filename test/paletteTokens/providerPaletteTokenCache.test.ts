import { describe, expect, it } from 'vitest';
import { ConfigReader } from '@backstage/config';
import { createPaletteTokenCache } from '../../src/paletteTokens';

const config = (providerId: string, tokenStore: unknown) => new ConfigReader({ auth: { providers: { [providerId]: { tokenStore } } } } as never);

describe('createPaletteTokenCache', () => {
  it("names the provider's own config path in errors", () => {
    expect(() => createPaletteTokenCache(config('spectrocloud-eu', { type: 'disk' }), { providerId: 'spectrocloud-eu' })).toThrow(
      expect.objectContaining({
        code: 'ERR_CONFIG',
        configKey: 'auth.providers.spectrocloud-eu.tokenStore.type',
        message: expect.stringMatching(/^auth\.providers\.spectrocloud-eu\.tokenStore\.type must be 'memory', 'redis' or 'backstage-cache'/),
      }),
    );
  });

  it("names the provider's own path in its startup log lines", async () => {
    const lines: string[] = [];
    const logger = { info: (m: string) => lines.push(m), warn: (m: string) => lines.push(m), error: (m: string) => lines.push(m) };
    const cache = createPaletteTokenCache(config('spectrocloud-eu', { type: 'memory' }), { providerId: 'spectrocloud-eu', logger });
    await cache.close();
    expect(lines.join('\n')).toContain('auth.providers.spectrocloud-eu.tokenStore.type');
    expect(lines.join('\n')).not.toContain('auth.providers.spectrocloud.tokenStore');
  });

  it('reads auth.providers.spectrocloud.tokenStore for the default provider id', () => {
    expect(() => createPaletteTokenCache(config('spectrocloud', { type: 'disk' }))).toThrow(/^auth\.providers\.spectrocloud\.tokenStore\.type/);
  });
});
