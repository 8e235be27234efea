import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

/**
 * The floors of the security dependencies (docs/security.md, "Dependencies"):
 * a range that admits a release with a known advisory fails here, and so
 * does an install that resolved such a release anyway.
 */
const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  dependencies: Record<string, string>;
};

/** Lowest release each range must start at or above, and why. */
const FLOORS: Record<string, { floor: string; major: number; why: string }> = {
  jsonwebtoken: { floor: '9.0.3', major: 9, why: '9.0.3 requires jws ^4.0.1 (CVE-2025-65945)' },
  'jwks-rsa': { floor: '3.2.2', major: 3, why: 'the 3.x release tested; 4.x needs Node >= 20.19' },
  minimatch: { floor: '10.2.3', major: 10, why: 'ReDoS fixes of 2026 in the 10.x line' },
};

function parse(version: string): number[] {
  const match = /^(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (!match) throw new Error(`not a version: ${version}`);
  return match.slice(1).map(Number);
}

function atLeast(version: string, floor: string): boolean {
  const [a, b] = [parse(version), parse(floor)];
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] > b[i];
  return true;
}

const requireHere = createRequire(import.meta.url);
function installedVersion(name: string, from = requireHere): string {
  return (from(`${name}/package.json`) as { version: string }).version;
}

describe('security dependency floors', () => {
  for (const [name, { floor, major, why }] of Object.entries(FLOORS)) {
    it(`package.json asks for ${name} ^${floor} or later in the ${major}.x line (${why})`, () => {
      const range = manifest.dependencies[name];
      expect(range, `${name} is a dependency`).toMatch(/^\^\d+\.\d+\.\d+$/);
      const lowest = range.slice(1);
      expect(parse(lowest)[0]).toBe(major);
      expect(atLeast(lowest, floor), `${name} ${range} admits releases below ${floor}`).toBe(true);
    });

    it(`the installed ${name} is at least ${floor}`, () => {
      expect(atLeast(installedVersion(name), floor)).toBe(true);
    });
  }

  it('the jws that jsonwebtoken loads carries the CVE-2025-65945 fix (4.0.1 or later)', () => {
    const fromJsonwebtoken = createRequire(requireHere.resolve('jsonwebtoken'));
    const jws = installedVersion('jws', fromJsonwebtoken);
    expect(atLeast(jws, '4.0.1'), `jws ${jws}`).toBe(true);
  });

  it('the jose that jwks-rsa loads is a 4.x past CVE-2024-28176 (4.15.5 or later)', () => {
    const fromJwksRsa = createRequire(requireHere.resolve('jwks-rsa'));
    const jose = installedVersion('jose', fromJwksRsa);
    expect(parse(jose)[0]).toBe(4);
    expect(atLeast(jose, '4.15.5'), `jose ${jose}`).toBe(true);
  });
});
