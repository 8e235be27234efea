import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/*
 * The API reports say why each name is public (issue 25, point 4): every current (not
 * `@deprecated`) name of `.../palette-tokens` carries a "Why public:" line in its TSDoc,
 * read from the sources the entry re-exports (api-extractor's reports keep no TSDoc text).
 */
const root = join(__dirname, '..', '..');

/** Each exported name of an entry with the TSDoc of its declaration, re-exports followed. */
function exportedDocs(entryFile: string): Array<{ name: string; doc: string }> {
  // No lib or @types: only the export graph and its comments are read, not types.
  const program = ts.createProgram([entryFile], { module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, target: ts.ScriptTarget.ES2022, noEmit: true, skipLibCheck: true, noLib: true, types: [] });
  const checker = program.getTypeChecker();
  const entry = checker.getSymbolAtLocation(program.getSourceFile(entryFile)!)!;
  return checker.getExportsOfModule(entry).map(exported => {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    const doc = (symbol.declarations ?? [])
      .flatMap(declaration => ts.getJSDocCommentsAndTags(declaration))
      .map(node => node.getText())
      .join('\n');
    return { name: exported.getName(), doc };
  });
}

describe('why each name is public', () => {
  it('every current name of .../palette-tokens says in its TSDoc why it is public', () => {
    const names = exportedDocs(join(root, 'src', 'paletteTokens', 'index.ts')).filter(({ doc }) => !/@deprecated/.test(doc));
    expect(names.length).toBe(15);
    expect(names.filter(({ doc }) => !/Why public:/.test(doc)).map(({ name }) => name)).toEqual([]);
  }, 60_000);
});
