import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Real servers (OIDC, redis, Chromium) start per file; give them room on a 2-core machine.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    fileParallelism: true,
    maxWorkers: 2,
    setupFiles: ['test/support/failOnSecretInLogs.ts'],
    // The Kubernetes plugin's UI (test/frontend/alpha.test.ts) pulls material-ui-popup-state, whose ESM build
    // imports a directory, which Node refuses: vitest transforms it instead.
    server: { deps: { inline: ['material-ui-popup-state'] } },
    // Child processes started with `node --import tsx` keep transforms in memory, not in a tsx cache under the OS temp dir.
    env: { TSX_DISABLE_CACHE: '1' },
  },
});
