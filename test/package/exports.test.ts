import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));
const node = (code: string, type: 'commonjs' | 'module') =>
  execFileSync(process.execPath, [`--input-type=${type}`, '-e', code], { cwd: root, encoding: 'utf8' }).trim();

describe('the published package (run `pnpm build` first; `pnpm test` does)', () => {
  it('has a built dist', () => {
    expect(existsSync(`${root}dist/index.cjs`), 'dist/ is missing: run `npx -y pnpm@9 build`').toBe(true);
  });

  it('can be required from CommonJS, as legacy backends do', () => {
    const out = node(
      "const m = require('backstage-plugin-spectrocloud-auth-legacy'); console.log(typeof m.spectrocloud.create, typeof m.spectrocloud.resolvers.emailMatchingUserEntityProfileEmail, typeof m.SpectroCloudStrategy)",
      'commonjs',
    );
    expect(out).toBe('function function function');
  });

  it('can be imported as ESM', () => {
    const out = node("import { spectrocloud } from 'backstage-plugin-spectrocloud-auth-legacy'; console.log(typeof spectrocloud.create)", 'module');
    expect(out).toBe('function');
  });

  it('exposes the emulator as ./testing for CommonJS and ESM', () => {
    expect(node("console.log(typeof require('backstage-plugin-spectrocloud-auth-legacy/testing').startSpectroCloudEmulator)", 'commonjs')).toBe('function');
  });

  it('ships every file its exports map names', () => {
    const targets = Object.values(pkg.exports as Record<string, string | Record<string, string>>).flatMap(t =>
      typeof t === 'string' ? [t] : Object.values(t),
    );
    for (const target of targets) expect(existsSync(`${root}${target}`), target).toBe(true);
  });

  it('declares the Backstage metadata and its config schema (checked as Backstage loads it in configSchema.test.ts)', () => {
    expect(pkg.backstage).toMatchObject({ role: 'backend-plugin-module', pluginId: 'auth' });
    expect(pkg.configSchema).toBe('config.d.ts');
    expect(pkg.files).toContain('config.d.ts');
  });
});
