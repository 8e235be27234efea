import { SpectroCloudConfigError } from '../errors';

/** Backstage's own type errors name the key too, but not the fix: rethrow ours. */
export function readOptional<T>(read: () => T | undefined, path: string, expected: string): T | undefined {
  try {
    return read();
  } catch {
    throw new SpectroCloudConfigError(`Invalid type for '${path}'. Expected ${expected}.`);
  }
}
