import { defineConfig } from 'tsup';

const peers = [/^@backstage\//, /^react/, 'ioredis', 'express', 'js-yaml', 'oauth', 'passport-oauth2', 'jsonwebtoken', 'jwks-rsa'];

export default defineConfig([
  {
    // Backend entries: legacy Backstage backends are CommonJS, so ship both formats.
    entry: { index: 'src/index.ts', 'paletteTokens/index': 'src/paletteTokens/index.ts', 'testing/index': 'src/testing/index.ts', 'testing/cli': 'src/testing/cli.ts', 'doctor/cli': 'src/doctor/cli.ts' },
    format: ['cjs', 'esm'],
    dts: true,
    sourcemap: true,
    target: 'node18',
    external: peers,
  },
  {
    // Browser entries: ESM only; every Backstage package and React stay peers.
    entry: {
      'frontend/index': 'src/frontend/index.ts',
      'frontend/kubernetes/index': 'src/frontend/kubernetes/index.ts',
      'alpha/index': 'src/alpha/index.ts',
      'alpha/kubernetes/index': 'src/alpha/kubernetes/index.ts',
    },
    format: ['esm'],
    dts: true,
    sourcemap: true,
    platform: 'browser',
    target: 'es2020',
    external: peers,
  },
]);
