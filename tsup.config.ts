import { defineConfig } from 'tsup';

// Material UI v4 (the session-end warning's drawing) is the app's, as Backstage's packages are.
const peers = [/^@backstage\//, /^@material-ui\//, /^react/, 'ioredis', 'express', 'js-yaml', 'oauth', 'passport-oauth2', 'jsonwebtoken', 'jwks-rsa'];

export default defineConfig([
  {
    // Backend entries: legacy Backstage backends are CommonJS, so ship both formats.
    entry: {
      index: 'src/index.ts', 'paletteTokens/index': 'src/paletteTokens/index.ts', 'testing/index': 'src/testing/index.ts', 'testing/cli': 'src/testing/cli.ts', 'doctor/cli': 'src/doctor/cli.ts',
      'backendModule/index': 'src/newBackend/index.ts',
      'sessionTokenService/index': 'src/sessionTokenService/index.ts',
    },
    format: ['cjs', 'esm'],
    // @internal members (injection points the package's own code uses) stay out of the published types.
    // One copy of each module for all backend entries, in CommonJS too (esbuild splits ESM only; tsup
    // does CJS on request). Without it, `.../palette-tokens` and the main entry each had their own
    // SpectroCloudTokenStoreError, so the provider's retry queue did not recognise the outage errors of
    // a cache built through `.../palette-tokens`, and sign-ins during an outage lost their token.
    splitting: true,
    dts: { compilerOptions: { stripInternal: true } },
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
    dts: { compilerOptions: { stripInternal: true } },
    sourcemap: true,
    platform: 'browser',
    target: 'es2020',
    external: peers,
  },
]);
