export {
  createSpectroCloudAuthApiExtension,
  spectroCloudAuthApi,
  spectroCloudAuthPlugin,
  spectroCloudAuthPlugin as default,
} from './plugin';
export { spectroCloudAuthApiRef } from '../frontend/apiRef';
