// `.../session-token-service`: SpectroCloud's session token for backend plugins of the new backend system.
export { paletteTokenServiceRef, type PaletteTokenService } from './sessionTokenService';
export type { PaletteTokenGrant } from '../paletteTokens/handoff/handoff';
export { SPECTROCLOUD_REAUTH_HEADER } from '../reauthHeader';
