import { readFileSync } from 'node:fs';
import { load } from 'js-yaml';
import { ConfigReader } from '@backstage/config';
import type { JsonObject } from '@backstage/types';

/**
 * Reads app-config.yaml the way Backstage does for `${VAR}` values, then lays
 * the given overrides on top (ports chosen at runtime, for instance).
 */
export function loadExampleConfig(file: string, env: Record<string, string | undefined>, overrides: JsonObject): ConfigReader {
  const text = readFileSync(file, 'utf8').replace(/\$\{(\w+)\}/g, (_match, name: string) => {
    const value = env[name];
    if (value === undefined) throw new Error(`${file} needs the environment variable ${name}`);
    return JSON.stringify(value);
  });
  return ConfigReader.fromConfigs([
    { context: file, data: load(text) as JsonObject },
    { context: 'runtime', data: overrides },
  ]);
}
