import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as main from '../../src';
import * as paletteTokens from '../../src/paletteTokens';
import * as errors from '../../src/errors';
import { ERROR_CLASS_OF_CODE, type SpectroCloudErrorCode } from '../../src/errors';

/*
 * Every code in the union has a row in the troubleshooting table (docs/troubleshooting.md),
 * and the class ERROR_CLASS_OF_CODE names for it is exported from a public
 * entry and really raises that code.
 */
const CODES = Object.keys(ERROR_CLASS_OF_CODE) as SpectroCloudErrorCode[];
const CLASSES: Record<string, unknown> = { ...errors, ...paletteTokens };

/** How each class is built for one of its codes (constructors differ in shape). */
const RAISE: Record<string, (code: never) => { code: string }> = {
  SpectroCloudConfigError: () => new errors.SpectroCloudConfigError('m'),
  SpectroCloudIdpError: code => new errors.SpectroCloudIdpError(code, 'm', { error: 'invalid_request' }),
  SpectroCloudNetworkError: code => new errors.SpectroCloudNetworkError(code, 'm'),
  SpectroCloudRequestError: code => new errors.SpectroCloudRequestError(code, 'm'),
  SpectroCloudTokenError: code => new errors.SpectroCloudTokenError(code, 'm'),
  SpectroCloudSignInError: code => new errors.SpectroCloudSignInError(code, 'm'),
  SpectroCloudRefreshSessionError: code => new errors.SpectroCloudRefreshSessionError(code, 'm'),
  SpectroCloudTokenStoreError: () => new paletteTokens.SpectroCloudTokenStoreError('m'),
  SpectroCloudAuthenticationError: code => new paletteTokens.SpectroCloudAuthenticationError(code, 'm'),
  SpectroCloudNotAllowedError: () => new paletteTokens.SpectroCloudNotAllowedError('m'),
  SpectroCloudReAuthRequiredError: () => new paletteTokens.SpectroCloudReAuthRequiredError('m'),
  SpectroCloudAuthError: () => main.SpectroCloudAuthError.from(new Error('foreign')),
};

const ROOT = join(__dirname, '../..');
/** The README and every page under docs/, by path from the package root. */
const DOCS = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter(name => name.endsWith('.md')).map(name => `docs/${name}`)];
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

function troubleshootingTable(): string {
  const page = read('docs/troubleshooting.md');
  const start = page.indexOf('## Messages and error codes');
  expect(start).toBeGreaterThan(-1);
  const end = page.indexOf('\n## ', start + 1);
  return page.slice(start, end === -1 ? undefined : end);
}

/** Codes named in the table's Code column; `_SUFFIX` abbreviations extend the code before them. */
function codesInTable(table: string): Set<string> {
  const found = new Set<string>();
  for (const row of table.split('\n').filter(line => line.startsWith('|'))) {
    const cells = row.split('|').map(cell => cell.trim());
    let last = '';
    for (const [name] of (cells[2] ?? '').matchAll(/`(ERR_[A-Z_]+|_[A-Z_]+)`/g)) {
      const bare = name.replaceAll('`', '');
      if (bare.startsWith('ERR_')) {
        last = bare;
        found.add(bare);
      } else if (last) {
        found.add(last.replace(/_[A-Z]+$/, '') + bare);
      }
    }
  }
  return found;
}

describe('error codes', () => {
  const table = troubleshootingTable();
  const documented = codesInTable(table);

  it.each(CODES)('%s has a row in the troubleshooting table', code => {
    expect(documented.has(code)).toBe(true);
  });

  it('the table names no code the package does not raise (frontend codes aside)', () => {
    const backend = [...documented].filter(code => !/^ERR_REAUTH_|^ERR_ID_TOKEN_MALFORMED$/.test(code));
    expect(backend.filter(code => !(code in ERROR_CLASS_OF_CODE))).toEqual([]);
  });

  it.each(CODES.map(code => [code, ERROR_CLASS_OF_CODE[code]]))('%s is raised by %s, a SpectroCloudAuthError', (code, className) => {
    const exported = CLASSES[className];
    expect(typeof exported).toBe('function');
    const raise = RAISE[className];
    expect(raise).toBeDefined();
    const error = raise(code as never);
    expect(error).toBeInstanceOf(exported as new (...args: never[]) => unknown);
    expect(error.constructor.name).toBe(className);
    expect(error.code).toBe(code);
    expect(error).toBeInstanceOf(main.SpectroCloudAuthError);
    if (className.startsWith('SpectroCloudAuth') || !(className in errors)) expect(className in main || className in paletteTokens).toBe(true);
  });
});

describe('README and docs/ snippets', () => {
  const imports = DOCS.flatMap(path => [...read(path).matchAll(/import\s+(?:(\w+)|\{([^}]*)\})\s+from\s+'backstage-plugin-spectrocloud-auth-legacy(\/[\w/-]+)?'/g)]);

  it('import from the package', () => {
    expect(imports.length).toBeGreaterThan(3);
  });

  it.each(imports.map(match => [match[3] ?? '(main)', match[0]]))('%s: %s names only what its API report lists', (_, statement) => {
    const match = /\{([^}]*)\}\s+from\s+'backstage-plugin-spectrocloud-auth-legacy(\/[\w/-]+)?'/.exec(statement);
    if (!match) return; // a default import (alpha's plugin)
    const entry = match[2] ? match[2].slice(1).replaceAll('/', '-') : 'main';
    const report = readFileSync(join(__dirname, '../../api-reports', entry, 'report.api.md'), 'utf8');
    for (const name of match[1].split(',').map(part => part.replace(/^\s*type\s+/, '').trim()).filter(Boolean)) {
      expect(report, `${name} in api-reports/${entry}`).toMatch(new RegExp(`\\b(class|function|const|type|interface|enum) ${name}\\b`));
    }
  });
});

describe('README and docs/', () => {
  it('the README stays short (at most 20 KB); the reference lives in docs/', () => {
    expect(Buffer.byteLength(read('README.md'))).toBeLessThanOrEqual(20 * 1024);
  });

  it.each(DOCS)('%s links only to files that exist, and to headings that exist', path => {
    const text = read(path);
    for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/.test(target)) continue; // http(s), mailto
      const [file, anchor] = target.split('#');
      const linked = file ? join(dirname(path), file) : path;
      expect(existsSync(join(ROOT, linked)), `${path} -> ${target}`).toBe(true);
      if (anchor && linked.endsWith('.md')) expect(slugs(read(linked)), `${path} -> ${target}`).toContain(anchor);
    }
  });
});

/** GitHub's anchors of a page's headings. */
function slugs(markdown: string): string[] {
  return [...markdown.matchAll(/^#+ (.+)$/gm)].map(([, heading]) =>
    heading.toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, '').replaceAll(' ', '-'),
  );
}
