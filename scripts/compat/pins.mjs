#!/usr/bin/env node
// Per-line pins of the compatibility matrix (scripts/compat/pins/<line>.json; why
// each exists is in its "//" field):
//   node pins.mjs apply <pins.json> <fixture dir>   adds its `overrides` to the fixture's package.json
//   node pins.mjs check <pins.json> <fixture dir>   fails, naming the paths, if a package of `absent`
//                                                   (name -> version prefix) is installed anywhere
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [command, pinsFile, dir] = process.argv.slice(2);
const pins = JSON.parse(readFileSync(pinsFile, 'utf8'));
const found = [];

if (command === 'apply') {
  const manifestFile = join(dir, 'package.json');
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
  manifest.overrides = { ...manifest.overrides, ...pins.overrides };
  writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
  console.log(`   pinned ${Object.keys(pins.overrides).length} packages (${pinsFile.replace(/.*\/scripts\//, 'scripts/')})`);
} else if (command === 'check') {
  walk(join(dir, 'node_modules'));
  if (found.length > 0) {
    console.log(`FAIL pins: installed despite the pins: ${found.join(', ')}`);
    process.exit(1);
  }
  console.log(`   pins hold: none of ${Object.entries(pins.absent).map(([n, v]) => `${n}@${v}`).join(', ')} installed`);
} else {
  console.error('usage: pins.mjs apply|check <pins.json> <fixture dir>');
  process.exit(2);
}

/** Visits every installed package under a node_modules directory, nested ones included. */
function walk(modulesDir) {
  if (!existsSync(modulesDir)) return;
  for (const entry of readdirSync(modulesDir)) {
    if (entry.startsWith('.')) continue;
    const names = entry.startsWith('@') ? readdirSync(join(modulesDir, entry)).map(n => `${entry}/${n}`) : [entry];
    for (const name of names) {
      const packageDir = join(modulesDir, name);
      const prefix = pins.absent[name];
      if (prefix !== undefined && existsSync(join(packageDir, 'package.json'))) {
        const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
        if (version === prefix || version.startsWith(`${prefix}.`)) found.push(`${name}@${version} in ${packageDir.slice(dir.length + 1)}`);
      }
      walk(join(packageDir, 'node_modules'));
    }
  }
}
