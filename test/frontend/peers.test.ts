import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));

describe('peer dependencies (an app installs only the frontend ones)', () => {
  it('are all optional: no entry point needs every one, and a missing optional peer warns no one', () => {
    const required = Object.keys(pkg.peerDependencies).filter(name => pkg.peerDependenciesMeta?.[name]?.optional !== true);
    expect(required).toEqual([]);
  });

  // core-components from 0.13.8: what the apps of the oldest legacy line (core-app-api 1.11.1) list in
  // packages/app, so adding the package there warns about nothing of it (scripts/peer-check.sh);
  // src/alpha's SignInPage call works on it (scripts/frontend-compat.sh cc-0.13).
  it("admit today's app and the oldest legacy one: frontend-plugin-api 0.10 to 0.18, core-components 0.13.8 to 0.18, Kubernetes 0.5 and 0.6", () => {
    expect(pkg.peerDependencies).toMatchObject({
      '@backstage/frontend-plugin-api': '>=0.10.0 <0.19.0',
      '@backstage/core-components': '>=0.13.8 <0.19.0',
      '@backstage/plugin-kubernetes-react': '>=0.5.0 <0.7.0',
      '@backstage/core-app-api': '>=1.11.1 <2.0.0',
    });
  });
});
