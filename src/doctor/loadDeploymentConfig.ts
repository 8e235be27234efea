import { resolve } from 'node:path';
import { ConfigReader, type Config } from '@backstage/config';

/**
 * Reads app-config files the way a Backstage backend does, with Backstage's
 * own loader: `${VAR}` substitutions, `$include`, `$file`, `$env` and
 * APP_CONFIG_* variables all behave as they will in production.
 */
export async function loadDeploymentConfig(files: string[], cwd = process.cwd()): Promise<Config> {
  let loader: typeof import('@backstage/config-loader');
  try {
    loader = await import('@backstage/config-loader');
  } catch {
    throw new Error(
      "@backstage/config-loader is not installed here; run the doctor from your backend package (it comes with @backstage/backend-common) or add it: yarn add @backstage/config-loader",
    );
  }
  const { appConfigs } = await loader.loadConfig({
    configRoot: cwd,
    configTargets: files.map(file => ({ path: resolve(cwd, file) })),
  });
  return ConfigReader.fromConfigs(appConfigs);
}
