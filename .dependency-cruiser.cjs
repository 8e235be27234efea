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
        "src/ imports its own files by path, not the package by its own name (tsconfig maps the name to a barrel, " +
        "which closes cycles through everything). The exceptions are entry-to-entry type references that keep each " +
        "published .d.ts pointing at the entry that exports the name (tsup leaves the name external): the main " +
        "entry's provider options name .../palette-tokens' cache types, and the alpha entries name .../frontend's.",
      from: { pathNot: ['^src/legacy/provider\\.ts$', '^src/alpha/'] },
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
