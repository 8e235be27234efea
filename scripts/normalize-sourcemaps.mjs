#!/usr/bin/env node
// Makes the build reproducible: tsup's CommonJS splitting (esbuild's ESM chunks turned into CommonJS)
// writes the absolute path of the checkout into each .cjs.map (`file` and the first of `sources`), so
// the same commit built in two directories gave two different tarballs. Rewrites every absolute path in
// dist/**/*.map relative to the map's own folder, as the source map spec reads them. Idempotent; run after
// tsup (the build, prepack and test scripts do). Checked by scripts/pack-check.sh (two packs, one hash).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';

const dist = join(process.argv[2] ?? process.cwd(), 'dist');
const maps = readdirSync(dist, { recursive: true })
  .map(String)
  .filter(name => name.endsWith('.map'))
  .map(name => join(dist, name));

let rewritten = 0;
for (const file of maps) {
  const map = JSON.parse(readFileSync(file, 'utf8'));
  const fix = path => (typeof path === 'string' && isAbsolute(path) ? relative(dirname(file), path).split(sep).join('/') : path);
  const before = JSON.stringify(map);
  if (map.file !== undefined) map.file = fix(map.file);
  if (Array.isArray(map.sources)) map.sources = map.sources.map(fix);
  if (typeof map.sourceRoot === 'string' && isAbsolute(map.sourceRoot)) map.sourceRoot = '';
  const after = JSON.stringify(map);
  if (after !== before) {
    writeFileSync(file, after);
    rewritten += 1;
  }
}
// Nothing absolute may remain: a path of this machine in a published file is the bug this script fixes.
const root = dirname(dist);
const leftover = maps.filter(file => readFileSync(file, 'utf8').includes(root));
if (leftover.length > 0) {
  console.error(`normalize-sourcemaps: ${leftover.length} map(s) still name ${root}: ${leftover.map(f => relative(root, f)).join(', ')}`);
  process.exit(1);
}
console.log(`normalize-sourcemaps: ${rewritten} of ${maps.length} source maps made relative`);
