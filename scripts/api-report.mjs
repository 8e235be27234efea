#!/usr/bin/env node
// The exported API of every entry point, as api-extractor reports it (what Backstage uses),
// from the built type declarations in dist/. `--check` fails when a report is out of date;
// without it the reports in api-reports/ are rewritten. Run after the build.
//
// An entry's API may name a type that another entry exports (the main entry's provider options take
// `.../palette-tokens`' `PaletteTokenCache`): src/ imports the declaring file by path, tsup puts the
// declaration into a chunk both entries' .d.ts import, and api-extractor calls it a forgotten export.
// Such a name is accepted only when the other entry exports that very declaration; the report then shows
// it as an import from that entry, which is where a consumer names it. Any other forgotten export fails.
import { Extractor, ExtractorConfig } from '@microsoft/api-extractor';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

// `--root DIR`: another package (test/package/apiReport.test.ts runs the script on fixtures).
const rootArg = process.argv.indexOf('--root');
const home = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const root = rootArg === -1 ? home : resolve(process.argv[rootArg + 1]);
const check = process.argv.includes('--check');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

// One report per entry of package.json "exports" that has types.
const entries = Object.entries(pkg.exports)
  .filter(([, target]) => typeof target === 'object' && target.types)
  .map(([subpath, target]) => ({
    name: subpath === '.' ? 'main' : subpath.slice(2).replaceAll('/', '-'),
    specifier: subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`,
    types: join(root, target.types),
  }));
for (const { types } of entries) if (!existsSync(types)) throw new Error(`${types} is missing: build first (npx tsup)`);

const declarations = entryDeclarations();

let stale = 0;
for (const entry of entries) {
  const outFolder = join(root, 'node_modules/.cache/api-report', entry.name);
  mkdirSync(outFolder, { recursive: true });
  const config = ExtractorConfig.prepare({
    configObject: {
      projectFolder: root,
      mainEntryPointFilePath: entry.types,
      compiler: { overrideTsconfig: { compilerOptions: { lib: ['ES2022', 'DOM'], types: ['node'], typeRoots: [join(home, 'node_modules/@types')], skipLibCheck: true, moduleResolution: 'node10', module: 'esnext' }, files: [entry.types] } },
      apiReport: { enabled: true, reportFolder: outFolder, reportTempFolder: outFolder, reportFileName: 'extracted' },
      docModel: { enabled: false },
      dtsRollup: { enabled: false },
      tsdocMetadata: { enabled: false },
      messages: {
        compilerMessageReporting: { default: { logLevel: 'warning' } },
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
  const result = Extractor.invoke(config, { localBuild: true, showVerboseMessages: false, messageCallback: m => { if (m.logLevel === 'warning' || m.logLevel === 'error') m.handled = false; } });
  if (!result.succeeded) throw new Error(`api-extractor failed for ${entry.name}`);

  rmSync(join(outFolder, 'report.api.md'), { force: true });
  const extracted = readFileSync(join(outFolder, 'extracted.api.md'), 'utf8').replace(/\r\n/g, '\n');
  const { report, unexported } = nameSiblingExports(extracted, entry);
  if (unexported.length > 0) {
    stale += 1;
    console.error(`api-report: "${entry.name}" uses types no entry exports (${unexported.join(', ')}): export them from ${entry.types.replace(`${root}/`, '').replace(/^dist\//, 'src/').replace(/\.d\.ts$/, '.ts')}, inline them, or mark internal members @internal`);
  }
  const reportFile = join(root, 'api-reports', entry.name, 'report.api.md');
  const committed = existsSync(reportFile) ? readFileSync(reportFile, 'utf8').replace(/\r\n/g, '\n') : undefined;
  if (committed === report) continue;
  if (check) {
    stale += 1;
    writeFileSync(join(outFolder, 'report.api.md'), report.replace(/\n/g, '\r\n'));
    console.error(`api-report: the exported API of "${entry.name}" differs from api-reports/${entry.name}/report.api.md (new: node_modules/.cache/api-report/${entry.name}/report.api.md). Review the change and run: npx -y pnpm@9 api:update`);
  } else {
    mkdirSync(dirname(reportFile), { recursive: true });
    writeFileSync(reportFile, report.replace(/\n/g, '\r\n'));
  }
}
if (stale > 0) process.exit(1);
console.log(`api-report: ${entries.length} entry points ${check ? 'match their reports' : 'written to api-reports/'}`);

/**
 * Replaces each forgotten-export warning whose symbol another entry exports (the same declaration) by an
 * import from that entry; returns the symbols no entry exports.
 */
function nameSiblingExports(extracted, entry) {
  const forgotten = [...new Set([...extracted.matchAll(/ae-forgotten-export\) The symbol "([^"]+)"/g)].map(m => m[1]))];
  const imports = [];
  const unexported = [];
  let report = extracted;
  for (const symbol of forgotten) {
    const declaration = declarations.inScope(entry.types, symbol);
    const owner = entries.find(other => other !== entry && declaration && declarations.exportedBy.get(other.specifier)?.get(declaration) === symbol);
    if (!owner) {
      unexported.push(symbol);
      continue;
    }
    imports.push(`import { ${symbol} } from '${owner.specifier}';`);
    const warning = new RegExp(`^[ \\t]*// Warning: \\(ae-forgotten-export\\) The symbol "${symbol.replace(/\$/g, '\\$')}" needs to be exported by the entry point [^\\n]*\\n`, 'gm');
    report = report.replace(warning, '');
  }
  // api-extractor separates a block's warnings from its TSDoc tags by a bare `//`: drop it when no warning is left.
  report = report.replace(/^(?![ \t]*\/\/)([^\n]*\n)[ \t]*\/\/\n/gm, '$1');
  if (imports.length > 0) {
    const lines = report.split('\n');
    // Without imports of its own, api-extractor's report opens with "```ts", a blank line, the declarations.
    if (!lines.some(line => line.startsWith('import '))) lines.splice(lines.indexOf('```ts') + 2, 0, '');
    for (const line of imports) {
      const at = lines.findIndex(other => other.startsWith('import ') && importKey(other) > importKey(line));
      const last = lines.findLastIndex(other => other.startsWith('import '));
      lines.splice(at !== -1 ? at : last !== -1 ? last + 1 : lines.indexOf('```ts') + 2, 0, line);
    }
    // The accepted declarations' own imports (api-extractor lists them although it prints no declaration).
    const body = lines.filter(line => !line.startsWith('import ')).join('\n');
    report = lines.filter(line => !line.startsWith('import ') || importedNames(line).some(name => new RegExp(`(^|[^\\w$])${name.replace(/\$/g, '\\$')}(?![\\w$])`).test(body))).join('\n');
  }
  return { report, unexported };
}

// api-extractor sorts its import lines by the imported name, ignoring case and a leading underscore.
function importKey(line) {
  return (/^import (?:\{ |\* as )?([\w$]+)/.exec(line)?.[1] ?? line).replace(/^_+/, '').toLowerCase();
}

function importedNames(line) {
  const named = /^import \{ ([^}]+) \}/.exec(line);
  if (named) return named[1].split(',').map(part => part.trim().split(/\s+as\s+/).pop());
  return [/^import (?:\* as )?([\w$]+)/.exec(line)?.[1]].filter(Boolean);
}

/**
 * Which declaration each entry exports, per entry specifier ("file:position" -> exported name), and the
 * declaration a name in an entry's .d.ts stands for (through its import from a shared chunk).
 */
function entryDeclarations() {
  const program = ts.createProgram(entries.map(e => e.types), { skipLibCheck: true, noEmit: true, moduleResolution: ts.ModuleResolutionKind.Node10, module: ts.ModuleKind.ESNext, types: [] });
  const checker = program.getTypeChecker();
  const key = symbol => {
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    const declaration = target.declarations?.[0];
    return declaration ? `${declaration.getSourceFile().fileName}:${declaration.pos}` : undefined;
  };
  const exportedBy = new Map();
  for (const entry of entries) {
    const module = checker.getSymbolAtLocation(program.getSourceFile(entry.types));
    exportedBy.set(entry.specifier, new Map((module ? checker.getExportsOfModule(module) : []).map(symbol => [key(symbol), symbol.getName()])));
  }
  const inScope = (typesFile, name) => {
    const scope = checker.getSymbolsInScope(program.getSourceFile(typesFile), ts.SymbolFlags.Type | ts.SymbolFlags.Value | ts.SymbolFlags.Alias);
    const symbol = scope.find(s => s.getName() === name);
    return symbol ? key(symbol) : undefined;
  };
  return { exportedBy, inScope };
}
