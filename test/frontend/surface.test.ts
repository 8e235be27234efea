import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The public surface of the frontend entries, read from their API reports (api-reports/<entry>/report.api.md, which
// `pnpm test` checks against the built types): one name per thing, so a reader never wonders which of two to use.
const root = join(__dirname, '../..');
const entries = ['frontend', 'frontend-kubernetes', 'alpha', 'alpha-kubernetes'];

interface Exported {
  name: string;
  kind: string;
  deprecated: boolean;
  /** `export type A = B;`: the name B when the alias is nothing but another name */
  aliasOf?: string;
  /** a class with a `static create(` */
  staticCreate?: boolean;
}

/** The exported names of an api-extractor report, with their release-tag line. */
function exportsOfReport(report: string): Exported[] {
  const lines = report.split(/\r?\n/);
  const found: Exported[] = [];
  lines.forEach((line, i) => {
    const tag = /^\/\/ @(public|alpha|beta)\b(.*)$/.exec(line);
    if (!tag) return;
    const deprecated = /@deprecated/.test(tag[2]);
    const declaration = lines[i + 1] ?? '';
    const match = /^(?:export )?(?:declare )?(function|const|interface|type|class|enum)\s+([A-Za-z0-9_$]+)/.exec(declaration);
    if (!match) return;
    const [, kind, name] = match;
    const aliasOf = kind === 'type' ? /=\s*([A-Za-z0-9_$]+);\s*$/.exec(declaration)?.[1] : undefined;
    let staticCreate = false;
    if (kind === 'class') {
      for (let j = i + 2; j < lines.length && lines[j] !== '}'; j++) if (/^\s+static create\(/.test(lines[j])) staticCreate = true;
    }
    found.push({ name, kind, deprecated, aliasOf, staticCreate });
  });
  return found;
}

/** Words that mean the same in a name: `ReAuth`, `ReAuthenticate`, `ReAuthentication`. */
function normalized(name: string): string {
  return name.toLowerCase().replace(/reauthentication|reauthenticate/g, 'reauth').replace(/authentication/g, 'auth');
}

/** Pairs of non-deprecated names that do one job: a reader could pick either. */
function redundantPairs(names: Exported[]): string[] {
  const live = names.filter(n => !n.deprecated);
  const byName = new Map(live.map(n => [n.name, n]));
  const pairs: string[] = [];
  for (const n of live) {
    const factory = /^create([A-Z].*)$/.exec(n.name);
    if (factory && n.kind === 'function') {
      const made = factory[1];
      // createX() and a constant x: the constant is the factory's default, a second name for the same call.
      const constant = byName.get(made[0].toLowerCase() + made.slice(1));
      if (constant?.kind === 'const') pairs.push(`${n.name} / ${constant.name}`);
      // createX() and X.create(): two ways to build the same thing.
      if (byName.get(made)?.staticCreate) pairs.push(`${n.name} / ${made}.create`);
    }
    if (n.aliasOf && byName.has(n.aliasOf)) pairs.push(`${n.name} / ${n.aliasOf}`);
  }
  const seen = new Map<string, string>();
  for (const n of live) {
    const key = normalized(n.name);
    const twin = seen.get(key);
    if (twin && twin !== n.name) pairs.push(`${twin} / ${n.name}`);
    seen.set(key, n.name);
  }
  return pairs;
}

function report(entry: string): string {
  return readFileSync(join(root, 'api-reports', entry, 'report.api.md'), 'utf8');
}

describe('the frontend entries name each thing once', () => {
  it.each(entries)('%s has no redundant pair among its non-deprecated names', entry => {
    const names = exportsOfReport(report(entry));
    expect(names.length).toBeGreaterThan(0);
    expect(redundantPairs(names)).toEqual([]);
  });

  it('keeps every deprecated name with a line in docs/upgrading.md, "Names from issue 25"', () => {
    const upgrading = readFileSync(join(root, 'docs/upgrading.md'), 'utf8');
    const section = upgrading.slice(upgrading.indexOf('## Names from issue 25'));
    expect(section.startsWith('## Names from issue 25')).toBe(true);
    const deprecated = entries.flatMap(entry => exportsOfReport(report(entry)).filter(n => n.deprecated).map(n => n.name));
    expect(deprecated.length).toBeGreaterThan(0);
    for (const name of deprecated) expect(section, name).toMatch(new RegExp(`\`${name}[\`(]`));
  });

  it('tags @public or @alpha only names an entry exports', () => {
    const exported = new Set(entries.flatMap(entry => exportsOfReport(report(entry)).map(n => n.name)));
    const tagged: string[] = [];
    for (const file of sourceFiles(join(root, 'src/frontend')).concat(sourceFiles(join(root, 'src/alpha')))) {
      const text = readFileSync(file, 'utf8');
      // A TSDoc block with a release tag, and the name it documents.
      for (const m of text.matchAll(/\/\*\*(?:(?!\*\/)[\s\S])*@(?:public|alpha)\b(?:(?!\*\/)[\s\S])*\*\/\s*export (?:declare )?(?:function|const|interface|type|class|enum) ([A-Za-z0-9_$]+)/g)) {
        tagged.push(m[1]);
      }
    }
    expect(tagged.length).toBeGreaterThan(10);
    expect(tagged.filter(name => !exported.has(name))).toEqual([]);
  });

  it('finds the pairs of the surface before issue 25 (the check is not vacuous)', () => {
    const before = [
      '// @public',
      'export function createSpectroCloudAuth(options: SpectroCloudAuthOptions): SpectroCloudAuthApi;',
      '// @public',
      'export function createSpectroCloudAuthApiFactory(options?: SpectroCloudAuthApiFactoryOptions): SpectroCloudAuthApiFactory;',
      '// @public',
      'export class SpectroCloudAuth implements SpectroCloudAuthApi {',
      '    constructor(parts: SpectroCloudAuthParts);',
      '    static create(options: SpectroCloudAuthOptions): SpectroCloudAuth;',
      '}',
      '// @public',
      'export const spectroCloudAuthApiFactory: SpectroCloudAuthApiFactory;',
      '// @public',
      "export type SpectroCloudReAuthApi = Pick<SpectroCloudReAuthenticationApi, 'reAuthenticate'>;",
      '// @public',
      'export interface SpectroCloudReAuthenticationApi {',
      '}',
      '// @public @deprecated (undocumented)',
      'export const spectroCloudSignInProvider: SpectroCloudSignInProviderConfig;',
      '// @public',
      'export function createSpectroCloudSignInProvider(options?: SpectroCloudSignInProviderOptions): SpectroCloudSignInProviderConfig;',
    ].join('\n');
    expect(redundantPairs(exportsOfReport(before))).toEqual([
      'createSpectroCloudAuth / SpectroCloudAuth.create',
      'createSpectroCloudAuthApiFactory / spectroCloudAuthApiFactory',
      'SpectroCloudReAuthApi / SpectroCloudReAuthenticationApi',
    ]);
  });
});

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap(name => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}
