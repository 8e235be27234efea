// `.../palette-tokens`: SpectroCloud's HS256 token Palette's API takes (the Palette token), kept
// server-side at sign-in and handed to backend plugins by the caller's verified identity.
// Fifteen names (test/package/surface.test.ts counts them); each says in its TSDoc why it is public.
export { createPaletteTokenCache } from './stores/createPaletteTokenCache';
export { PaletteTokenCache, type PaletteTokenRecord } from './stores/paletteTokenCache';
export type { SpectroCloudStore } from '../ttlStore/types';
export type { SpectroCloudLogger } from '../logger';
export { getPaletteToken, type PaletteTokenHandoffOptions, type PaletteTokenGrant } from './handoff/handoff';
export { createPaletteTokenMiddleware } from './handoff/middleware';
export { createPaletteApiClient, type PaletteApiClient } from './paletteApi/client';
export { SPECTROCLOUD_REAUTH_HEADER } from '../reauthHeader';
export { seedCompatibleApi } from './handoff/seedCompatibleApi';
// The one error base, the same class the main entry exports; plugins match on its `code`.
export { SpectroCloudAuthError, type SpectroCloudErrorCode } from '../errors';

// Deprecated: the names exported before issue 25 (docs/upgrading.md, "Names from issue 25").
export * from './deprecated';
export type { SpectroCloudTokenStore, SessionTokenLogger } from '../ttlStore/types';
export { createSpectroCloudErrorHandler } from './handoff/middleware';
export {
  type SpectroCloudPaletteTokenErrorCode,
  SpectroCloudPaletteTokenError,
  SpectroCloudTokenStoreError,
  SpectroCloudAuthenticationError,
  SpectroCloudNotAllowedError,
  SpectroCloudReAuthRequiredError,
} from './errors';
