import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import { parseSimpleYaml } from '../../src/load/yaml-fast-path.js';
import { YamlSource } from '../../src/load/yaml-source.js';
import { repoRoot } from '../helpers/cli.js';
import { assertWithSeed, replayHint } from '../helpers/property-seed.js';

/** Node shapes with values and start offsets: what the loaders read. */
function shape(node: unknown): unknown {
  if (isScalar(node)) return { s: node.value, at: node.range?.[0] };
  if (isMap(node)) return { m: node.items.map((p) => (isPair(p) ? [shape(p.key), shape(p.value)] : null)), at: node.range?.[0] };
  if (isSeq(node)) return { q: node.items.map(shape), at: node.range?.[0] };
  return node ?? null;
}

function reference(text: string) {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: true, schema: 'failsafe' });
  return { ok: doc.errors.length === 0, shape: shape(doc.contents), lineStarts: lc.lineStarts };
}

function agree(text: string): boolean {
  const fast = parseSimpleYaml(text);
  if (!fast) return false;
  const ref = reference(text);
  expect(ref.ok).toBe(true);
  expect(shape(fast.contents)).toEqual(ref.shape);
  expect(fast.lines.lineStarts).toEqual(ref.lineStarts);
  return true;
}

function yamlFiles(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir)) {
    const abs = path.join(dir, e);
    if (statSync(abs).isDirectory()) yamlFiles(abs, out);
    else if (/\.ya?ml$/.test(e)) out.push(abs);
  }
  return out;
}

describe('fast YAML path agrees with the yaml library', () => {
  it('on every definition and sidecar in the repository (and takes the common ones)', () => {
    const files = [...yamlFiles(path.join(repoRoot, 'jobs')), ...yamlFiles(path.join(repoRoot, 'job-templates')), ...yamlFiles(path.join(repoRoot, 'test/fixtures/golden'))];
    let taken = 0;
    for (const f of files) if (agree(readFileSync(f, 'utf8'))) taken++;
    expect(files.length).toBeGreaterThan(15);
    expect(taken).toBeGreaterThan(files.length / 2);
  });

  // [does the fast path take it?, text]: when it does, its nodes and line starts must be the yaml
  // library's; either way the loader (fast path, else the library) must see the library's document.
  it.each([
    [true, 'templates: [CI-build-trunk, RC-build-branch]\ntokens:\n  SCM.PATH: https://svn.example.com/x # c\n  MVN.GOALS: clean install\n'],
    [false, 'project: p\ntemplates:\n- a\n- b\ntokens:\n  A.B: \'it\'\'s\'\n  C.D: "q"\n  E.F:\n'],
    [true, 'templates:\n  - template: X\n    job: y\n    tokens:\n      A.B: c\n  -   Z\nbranches:\n  repo: r\n  include: [ "feature/*" , x ]\n  keep_days: 3\n'],
    [true, '# only a comment\na: b\n\n\n# trailing\n'],
    [false, 'a: []\nb: [x]\nc:   # comment\nd: -1x\n'],
  ])('fast path %s; the loader agrees with the yaml library on %j', (taken, text) => {
    expect(parseSimpleYaml(text) !== undefined).toBe(taken);
    if (taken) expect(agree(text)).toBe(true);
    const ref = reference(text);
    expect(ref.ok).toBe(true);
    const loaded = new YamlSource('x.yaml', text);
    expect(loaded.ok).toBe(true);
    expect(loaded.diagnostics).toEqual([]);
    expect(shape(loaded.contents)).toEqual(ref.shape);
    expect(shape(loaded.contents)).not.toBeNull();
  });

  it.each([
    'a: &x b\n',
    'a: !tag b\n',
    'a: |\n  block\n',
    'a: {b: c}\n',
    'a: "esc\\n"\n',
    'a: b\na: c\n',
    'a: b\n  c\n',
    'a:\tb\n',
    '---\na: b\n',
    'a: b: c\n',
    'a: [b, [c]]\n',
    'a: [b,\n  c]\n',
    '- a\nb: c\n',
  ])('gives up on %j (the yaml library handles it)', (text) => {
    expect(parseSimpleYaml(text)).toBeUndefined();
  });

  it('random definitions: whenever it answers, the answer is the yaml library\'s', () => {
    const word = fc.stringMatching(/^[A-Za-z0-9 ._:#'"\-\/\[\],*&!|>{}%@`?]{0,12}$/);
    const key = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_.]{0,6}$/);
    const scalar = fc.oneof(word, word.map((w) => `'${w.replace(/'/g, "''")}'`), word.map((w) => `"${w.replace(/["\\]/g, '')}"`));
    const flow = fc.array(word, { maxLength: 3 }).map((ws) => `[${ws.join(', ')}]`);
    const entry = fc.tuple(key, fc.oneof(scalar, flow, fc.array(scalar, { minLength: 1, maxLength: 3 }), fc.dictionary(key, scalar, { maxKeys: 3 })), fc.constantFrom('', ' # c', '  '));
    const doc = fc.array(entry, { minLength: 1, maxLength: 5 }).map((entries) =>
      entries
        .map(([k, v, c]) => {
          if (typeof v === 'string') return `${k}: ${v}${c}\n`;
          if (Array.isArray(v)) return `${k}:${c}\n${v.map((x) => `  - ${x}\n`).join('')}`;
          const inner = Object.entries(v);
          return inner.length === 0 ? `${k}:\n` : `${k}:\n${inner.map(([a, b]) => `  ${a}: ${b}\n`).join('')}`;
        })
        .join(''),
    );
    let answered = 0;
    const seed = assertWithSeed(
      fc.property(doc, (text) => {
        const fast = parseSimpleYaml(text);
        if (!fast) return;
        answered++;
        const ref = reference(text);
        expect(ref.ok, text).toBe(true);
        expect(shape(fast.contents), text).toEqual(ref.shape);
      }),
      { numRuns: 1500 },
    );
    expect(answered, replayHint(seed)).toBeGreaterThan(100);
  });
});

describe('fast YAML path: duplicate keys in maps of every size', () => {
  const keysOf = (n: number): string[] => Array.from({ length: n }, (_, i) => `K${i}.X`);
  for (const n of [2, 15, 16, 17, 40]) {
    it(`${n} keys: takes them all; any key given twice (first, middle or last) is left to the yaml library`, () => {
      const keys = keysOf(n);
      const text = (ks: string[]): string => `tokens:\n${ks.map((k, i) => `  ${k}: v${i}\n`).join('')}`;
      expect(agree(text(keys))).toBe(true);
      for (const [dup, at] of [
        [0, n],
        [n - 1, n],
        [Math.floor(n / 2), 1],
      ] as const) {
        const ks = [...keys];
        ks.splice(at, 0, keys[dup]!);
        expect(parseSimpleYaml(text(ks)), `${keys[dup]} again at ${at}`).toBeUndefined();
        expect(reference(text(ks)).ok).toBe(false);
      }
    });
  }
});

describe('YamlSource locations', () => {
  it('are the line counter\'s positions, for every offset of a file', () => {
    const text = 'project: p\n\ntemplates:\n  - A   # c\n  - B\ntokens:\n  X.Y: "v"\n';
    const y = new YamlSource('f.yaml', text);
    for (let o = 0; o <= text.length + 1; o++) {
      const p = y.lines.linePos(o);
      expect(y.at(o), String(o)).toEqual({ file: 'f.yaml', line: p.line, column: p.col });
    }
    const lib = new YamlSource('g.yaml', 'a: &x 1\nb: *x\n');
    for (let o = 0; o <= 14; o++) expect(lib.at(o)).toEqual({ file: 'g.yaml', line: lib.lines.linePos(o).line, column: lib.lines.linePos(o).col });
  });
});
