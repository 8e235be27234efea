import { readDurationFromConfig, type Config } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';
import { SpectroCloudConfigError } from '../errors';

const MAX_SESSION_DURATION_MS = 400 * 24 * 60 * 60 * 1000;

/**
 * Backstage's `sessionDuration`, in Backstage's formats (`8h`, `PT8H`,
 * `{ hours: 8 }`), read by Backstage's own `readDurationFromConfig`.
 */
export function readSessionDuration(config: Config, path: string): number | undefined {
  if (!config.has('sessionDuration')) return undefined;
  let ms: number;
  try {
    ms = durationToMilliseconds(readDurationFromConfig(config, { key: 'sessionDuration' }));
  } catch {
    throw new SpectroCloudConfigError(
      `Invalid '${path}'. Write a duration such as '8h', '7d', 'PT8H' or { hours: 8 }.`,
      path,
    );
  }
  if (!Number.isFinite(ms) || ms <= 0 || ms > MAX_SESSION_DURATION_MS) {
    throw new SpectroCloudConfigError(
      `Invalid '${path}': it must be longer than zero and at most 400 days, for example '8h' or { hours: 8 }.`,
      path,
    );
  }
  return ms;
}
