import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/cli.js';

/** src/xml is the ground floor: render, plan, bulk, load and the stand-in use it; it uses none of them. */
describe('src/xml layering', () => {
  const dir = path.join(repoRoot, 'src/xml');
  const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));

  it('has the XML modules', () => {
    expect(files).toEqual(expect.arrayContaining(['scan.ts', 'escape-context.ts', 'positions.ts', 'semantic-compare.ts', 'tree.ts', 'serialise.ts']));
  });

  it.each(files)('%s imports nothing outside src/xml', (file) => {
    const text = readFileSync(path.join(dir, file), 'utf8');
    const specs = [...text.matchAll(/(?:from\s+|import\s*\(\s*)['"](\.[^'"]+)['"]/g)].map((m) => m[1]!);
    const outside = specs.filter((s) => !s.startsWith('./'));
    expect(outside).toEqual([]);
  });
});
