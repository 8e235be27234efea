// `.../session-token-service`: SpectroCloud's session token for backend plugins of the new backend system.
export { spectroCloudSessionTokenServiceRef, type SpectroCloudSessionTokenService } from './sessionTokenService';
export type { SpectroCloudTokenGrant } from '../paletteTokens/handoff/handoff';
export { SPECTROCLOUD_REAUTH_HEADER } from '../reauthHeader';
