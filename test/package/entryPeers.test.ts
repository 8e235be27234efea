import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;
const preload = new URL('./fixtures/withoutPackages.cjs', import.meta.url).pathname;
const PKG = 'backstage-plugin-spectrocloud-auth-legacy';

/** Runs `code` in a fresh Node from the package root with `without` not installed; returns its output or throws. */
function runWithout(without: string[], code: string, type: 'commonjs' | 'module'): string {
  return execFileSync(process.execPath, ['--require', preload, `--input-type=${type}`, '-e', code], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, WITHOUT_PACKAGES: without.join(','), OUR_DIST: `${root}dist/` },
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

/** What a legacy backend does not have, and what a new-system backend does not have. */
const NEW_SYSTEM_ONLY = ['@backstage/backend-plugin-api', '@backstage/backend-defaults', '@backstage/backend-app-api'];
const LEGACY_ONLY = ['@backstage/plugin-auth-backend', '@backstage/backend-common'];

describe('each entry loads without the other backend system (run `pnpm build` first; `pnpm test` does)', () => {
  it('the hook really hides a package from our entries (control): the legacy entry needs plugin-auth-backend, the module plugin-auth-node', () => {
    expect(() => runWithout(['@backstage/plugin-auth-backend'], `require('${PKG}')`, 'commonjs')).toThrow(/not installed in this backend/);
    expect(() => runWithout(['@backstage/backend-plugin-api'], `import('${PKG}/backend-module').then(m => console.log(typeof m.default))`, 'module')).toThrow(
      /not installed in this backend/,
    );
  });

  it.each([
    ['commonjs', `const m = require('${PKG}'); console.log(typeof m.spectrocloud.create)`],
    ['module', `import('${PKG}').then(m => console.log(typeof m.spectrocloud.create))`],
    ['commonjs', `const m = require('${PKG}/palette-tokens'); console.log(typeof m.createPaletteTokenMiddleware)`],
  ] as const)('the legacy integration and palette-tokens load without the new system (%s)', (type, code) => {
    expect(runWithout(NEW_SYSTEM_ONLY, code, type)).toBe('function');
  });

  it.each([
    ['commonjs', `const m = require('${PKG}/backend-module'); console.log(m.default.$$type)`],
    ['module', `import('${PKG}/backend-module').then(m => console.log(m.default.$$type))`],
    ['module', `import('${PKG}/session-token-service').then(m => console.log(m.paletteTokenServiceRef.$$type))`],
  ] as const)('the module and the session-token service load without the legacy auth backend (%s)', (type, code) => {
    expect(runWithout(LEGACY_ONLY, code, type)).toMatch(/^@backstage\/(BackendFeature|ServiceRef)$/);
  });
});
