export {
  createSpectroCloudAuthApiExtension,
  spectroCloudAuthApi,
  spectroCloudAuthPlugin,
  spectroCloudAuthPlugin as default,
} from './plugin';
export {
  createSpectroCloudSignInPageModule,
  spectroCloudSignInPageModule,
  type SpectroCloudSignInPageOptions,
} from './signInPage';
export { spectroCloudAuthApiRef } from '../frontend/apiRef';
export { spectroCloudSignInProvider } from '../frontend/factory';
