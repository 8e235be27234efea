// The import-graph check `pnpm test` runs before vitest (`pnpm check:imports`): `depcruise src`.
// test/package/importCycles.test.ts shows it fails on a cycle (type-only included) and passes on src/.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'An import cycle, type-only imports included, ties two layers together. Let the lower module declare the ' +
        'small interface it calls (as the token stores declare the metrics events they emit) instead of importing ' +
        'the module above it.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-own-name-import',
      severity: 'error',
      comment:
        "src/ imports its own files by path, never the package by its own name (tsconfig maps the name to a barrel, " +
        "which closes cycles through everything). An entry whose API names another entry's type imports the file that " +
        "declares it; scripts/api-report.mjs checks that the other entry exports it.",
      from: {},
      to: { dependencyTypes: ['aliased-tsconfig-paths'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Count `import type` too: a cycle closed by types still ties the layers together.
    tsPreCompilationDeps: true,
    // Resolves the package's own name (tsconfig "paths") to its source, so such an import shows as an edge.
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
