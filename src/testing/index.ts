export { startSpectroCloudEmulator } from './emulator/startEmulator';
export { createSpectroCloudEmulatorApp } from './emulator/createApp';
export type { CreateEmulatorAppOptions } from './emulator/createApp';
export type {
  EmulatorClient,
  EmulatorFaults,
  EmulatorStats,
  EmulatorUser,
  IdTokenFaultContext,
  Jwks,
  SignOptions,
  SpectroCloudEmulator,
  SpectroCloudEmulatorControls,
  SpectroCloudEmulatorOptions,
} from './emulator/types';
