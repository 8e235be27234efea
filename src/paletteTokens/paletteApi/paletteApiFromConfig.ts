import type { Config } from '@backstage/config';
import { readEnvironmentConfig } from '../../config/readEnvironmentConfig';
import { createOutboundClient } from '../../http/createOutboundClient';
import { DEFAULT_PROVIDER_ID } from '../stores/config';
import { PaletteApi } from './paletteApi';

/**
 * Palette's API as the provider's own environment block reaches SpectroCloud:
 * the block `auth.environment` names (default `development`), its origin
 * (`authorizationUrl`, unless `paletteApiUrl` is given), timeout, size limit,
 * proxy and CA. Undefined when that block has no `authorizationUrl` (a cache
 * built from the token-store block alone): no renewal then, no Palette API client.
 */
export function paletteApiFromConfig(
  config: Config | undefined,
  options: { providerId?: string; paletteApiUrl?: string },
): { api: PaletteApi; lockMs: number } | undefined {
  const providerId = options.providerId ?? DEFAULT_PROVIDER_ID;
  const environment = config?.getOptionalString('auth.environment') ?? 'development';
  const path = `auth.providers.${providerId}.${environment}`;
  const block = config?.getOptionalConfig(path);
  if (!config || !block?.has('authorizationUrl')) return undefined;
  const backendUrl = config.getOptionalString('backend.baseUrl') ?? 'http://localhost:7007';
  const settings = readEnvironmentConfig(block, { path, authBaseUrl: `${backendUrl.replace(/\/+$/, '')}/api/auth`, providerId });
  const baseUrl = (options.paletteApiUrl ?? new URL(settings.authorizationUrl).origin).replace(/\/+$/, '');
  // A claim outlives one renewal call (its deadline) with room to store the result.
  return { api: new PaletteApi(baseUrl, createOutboundClient(settings)), lockMs: settings.timeout * 2 + 1_000 };
}
