import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/*
 * `@public` is a promise to users: it belongs only on names an entry point
 * exports, which are exactly the names in api-reports/<entry>/report.api.md
 * (checked against the build by `scripts/api-report.mjs --check`). A tag on
 * an internal name tells a reviewer it is part of the contract when it is not.
 */
const root = join(__dirname, '..', '..');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap(entry =>
    entry.isDirectory() ? files(join(dir, entry.name)) : /\.tsx?$/.test(entry.name) ? [join(dir, entry.name)] : [],
  );
}

function reportedNames(): Set<string> {
  const names = new Set<string>();
  for (const entry of readdirSync(join(root, 'api-reports'))) {
    const report = readFileSync(join(root, 'api-reports', entry, 'report.api.md'), 'utf8');
    for (const match of report.matchAll(/^(?:export )?(?:declare )?(?:abstract )?(?:class|interface|type|function|const|enum) (\w+)/gm)) names.add(match[1]);
    for (const match of report.matchAll(/^export (?:default )?(\w+);/gm)) names.add(match[1]);
    for (const match of report.matchAll(/^export \{ (\w+)/gm)) names.add(match[1]);
  }
  return names;
}

/** Each declaration whose doc comment says `@public`: `file name`. */
function publicTagged(): string[] {
  const tagged: string[] = [];
  const declaration = /\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*export (?:declare )?(?:abstract )?(?:async )?(?:class|interface|type|function|const|enum) (\w+)/g;
  for (const file of files(join(root, 'src'))) {
    for (const match of readFileSync(file, 'utf8').matchAll(declaration)) {
      if (/@public\b/.test(match[1])) tagged.push(`${file.slice(root.length + 1)} ${match[2]}`);
    }
  }
  return tagged;
}

describe('@public tags', () => {
  it('are only on names an entry point exports (its API report lists them)', () => {
    const reported = reportedNames();
    const tagged = publicTagged();
    expect(tagged.length).toBeGreaterThan(20);
    expect(tagged.filter(line => !reported.has(line.split(' ')[1]))).toEqual([]);
  });
});
