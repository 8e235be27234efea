export { startSpectroCloudEmulator } from './emulator/startEmulator';
export { createSpectroCloudEmulatorApp } from './emulator/createApp';
export type { CreateEmulatorAppOptions } from './emulator/createApp';
export type {
  AuthorizationRequestParams,
  EmulatorClient,
  EmulatorFaults,
  EmulatorStats,
  EmulatorTls,
  EmulatorUser,
  IdTokenFaultContext,
  Jwks,
  SignOptions,
  SpectroCloudEmulator,
  SpectroCloudEmulatorControls,
  SpectroCloudEmulatorOptions,
} from './emulator/types';
