import { SpectroCloudConfigError } from '../../errors';

// Small checks shared by the token-store config readers; every error names the full config path.

export function rejectUnknownKeys(block: Record<string, unknown>, known: string[], path: string, type: string): void {
  for (const key of Object.keys(block)) {
    if (known.includes(key)) continue;
    const hint =
      key === 'redis' || key === 'maxEntries'
        ? `${key} does not apply to type '${type}'; remove it or change ${path}.type.`
        : `Known settings here are: ${known.join(', ')}.`;
    throw new SpectroCloudConfigError(`${path}.${key} is not a known setting. ${hint}`, `${path}.${key}`);
  }
}

export function asObject(value: unknown, path: string, expected: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new SpectroCloudConfigError(`${path} must be ${expected}, got ${describe(value)}.`, path);
  }
  return value as Record<string, unknown>;
}

export function fail(path: string, relativeKey: string, problem: string): never {
  const key = `${path}.${relativeKey}`;
  throw new SpectroCloudConfigError(`${key} ${problem}`, key);
}

// Short, value-free description for non-secret settings.
export function describe(value: unknown): string {
  if (typeof value === 'string') return `'${value.length > 40 ? `${value.slice(0, 40)}...` : value}'`;
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : String(value);
}
