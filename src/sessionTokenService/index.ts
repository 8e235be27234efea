// `.../session-token-service` (the released path): the Palette token for backend plugins of the new backend system.
export { paletteTokenServiceRef, type PaletteTokenService } from './sessionTokenService';
export type { PaletteTokenGrant } from '../paletteTokens/handoff/handoff';
export { SPECTROCLOUD_REAUTH_HEADER } from '../reauthHeader';

// Deprecated: the names exported before issue 25 (docs/upgrading.md, "Names from issue 25").
export { spectroCloudSessionTokenServiceRef, type SpectroCloudSessionTokenService } from './sessionTokenService';
export type { SpectroCloudTokenGrant } from '../paletteTokens/deprecated';
