#!/usr/bin/env node
// The exported API of every entry point, as api-extractor reports it (what Backstage uses),
// from the built type declarations in dist/. `--check` fails when a report is out of date;
// without it the reports in api-reports/ are rewritten. Run after the build.
import { Extractor, ExtractorConfig } from '@microsoft/api-extractor';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const check = process.argv.includes('--check');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

// One report per entry of package.json "exports" that has types.
const entries = Object.entries(pkg.exports)
  .filter(([, target]) => typeof target === 'object' && target.types)
  .map(([subpath, target]) => ({ name: subpath === '.' ? 'main' : subpath.slice(2).replaceAll('/', '-'), types: target.types }));

let stale = 0;
for (const { name, types } of entries) {
  const entry = join(root, types);
  if (!existsSync(entry)) throw new Error(`${types} is missing: build first (npx tsup)`);
  const reportFolder = join(root, 'api-reports', name);
  mkdirSync(reportFolder, { recursive: true });
  const config = ExtractorConfig.prepare({
    configObject: {
      projectFolder: root,
      mainEntryPointFilePath: entry,
      // node10 resolution ignores "exports", so an entry's type-only import of a sibling entry by the
      // package's own name (`backstage-plugin-spectrocloud-auth-legacy/palette-tokens`) stays unresolved: the
      // report then shows it as an import from that entry, which is what a consumer's compiler resolves.
      compiler: { overrideTsconfig: { compilerOptions: { lib: ['ES2022', 'DOM'], types: ['node'], skipLibCheck: true, moduleResolution: 'node10', module: 'esnext' }, files: [entry] } },
      apiReport: { enabled: true, reportFolder, reportTempFolder: join(root, 'node_modules/.cache/api-report', name), reportFileName: 'report' },
      docModel: { enabled: false },
      dtsRollup: { enabled: false },
      tsdocMetadata: { enabled: false },
      messages: {
        // TS2307 is the unresolved sibling entry above; any other compiler message is reported.
        compilerMessageReporting: { default: { logLevel: 'warning' }, TS2307: { logLevel: 'none' } },
        extractorMessageReporting: {
          default: { logLevel: 'none' },
          'ae-missing-release-tag': { logLevel: 'none' },
          'ae-forgotten-export': { logLevel: 'none', addToApiReportFile: true },
        },
        tsdocMessageReporting: { default: { logLevel: 'none' } },
      },
    },
    configObjectFullPath: join(root, 'api-extractor.json'),
    packageJsonFullPath: join(root, 'package.json'),
  });
  const result = Extractor.invoke(config, { localBuild: !check, showVerboseMessages: false, messageCallback: m => { if (m.logLevel === 'warning' || m.logLevel === 'error') m.handled = false; } });
  // A type in a public signature that its entry does not export: readers of the API cannot name it.
  // A deprecated alias (kept so that no import disappears) may name an unexported type; a current declaration may not.
  const report = readFileSync(join(reportFolder, 'report.api.md'), 'utf8').replace(/\r\n/g, '\n');
  const unexported = [...new Set([...report.matchAll(/ae-forgotten-export\) The symbol "([^"]+)"/g)].map(m => m[1]))];
  const current = report
    .split(/\n\n/)
    .filter(block => /^\/\/ @/m.test(block) && !/^\/\/ @.*@(deprecated|internal)/m.test(block))
    .map(block => block.split('\n').filter(line => !line.trimStart().startsWith('//')).join('\n'));
  const escape = name => name.replace(/[$]/g, '\\$');
  const forgotten = unexported.filter(name => current.some(code => new RegExp(`(^|[^\\w$])${escape(name)}(?![\\w$])`).test(code)));
  if (forgotten.length > 0) {
    stale += 1;
    console.error(`api-report: "${name}" uses types it does not export (${forgotten.join(', ')}): export them from ${types.replace(/^\.\/dist\//, 'src/').replace(/\.d\.ts$/, '.ts')}, inline them, or mark internal members @internal`);
  }
  if (check && result.apiReportChanged) {
    stale += 1;
    console.error(`api-report: the exported API of "${name}" (${types}) differs from api-reports/${name}/report.api.md. Review the change and run: npx -y pnpm@9 api:update`);
  } else if (!result.succeeded && !result.apiReportChanged) {
    throw new Error(`api-extractor failed for ${name}`);
  }
}
if (stale > 0) process.exit(1);
console.log(`api-report: ${entries.length} entry points ${check ? 'match their reports' : 'written to api-reports/'}`);
