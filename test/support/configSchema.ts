import { join } from 'node:path';
import { loadConfigSchema, type ConfigSchema } from '@backstage/config-loader';
import type { JsonObject } from '@backstage/types';

/** The package's config.d.ts as a Backstage backend loads it (@backstage/config-loader), alone. */
export function loadPackageConfigSchema(): Promise<ConfigSchema> {
  return loadConfigSchema({ dependencies: [], packagePaths: [join(__dirname, '../../package.json')], excludePackageDependencies: true });
}

/** Validates a `tokenStore` block of the default provider as app-config, throwing what Backstage's loader throws. */
export function validateTokenStore(schema: ConfigSchema, tokenStore: JsonObject) {
  return schema.process([{ data: { auth: { providers: { spectrocloud: { tokenStore } } } }, context: 'app-config.yaml' }]);
}
