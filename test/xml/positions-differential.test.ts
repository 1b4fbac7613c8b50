/**
 * The byte-preserving editor finds element positions with the project's own XML scanner. It must
 * accept exactly what saxes (an independent, conformant parser) accepts on real configs, and find the
 * same elements, attributes, text and CDATA spans: on every file of the corpus, on the malformed
 * ones, and on random cuts and splices of corpus files.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sharedPath } from '../helpers/shared.js';
import { parsePositioned, type XmlElementNode } from '../../src/xml/positions.js';
import { saxesPositioned } from './saxes-positions.js';

const corpusDir = sharedPath('corpus');
const read = (dir: string): Array<{ file: string; xml: string }> =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.xml'))
    .sort()
    .map((f) => ({ file: f, xml: readFileSync(path.join(dir, f), 'utf8') }));
const corpus = read(corpusDir);
const malformed = read(path.join(corpusDir, 'malformed'));

interface Shape {
  name: string;
  attrs: Record<string, string>;
  span: number[];
  texts: string[];
  children: Shape[];
}
function shape(el: XmlElementNode): Shape {
  return {
    name: el.name,
    attrs: el.attrs,
    span: [el.start, el.openEnd, el.closeStart, el.end],
    texts: el.texts.map((t) => `${t.kind}:${t.start}-${t.end}`),
    children: el.children.map(shape),
  };
}
function outcome(parse: (xml: string) => { root: XmlElementNode }, xml: string): { ok: true; root: Shape } | { ok: false } {
  try {
    return { ok: true, root: shape(parse(xml).root) };
  } catch {
    return { ok: false };
  }
}

describe('positioned parser vs saxes', () => {
  it('has real configs to compare', () => {
    expect(corpus.length).toBeGreaterThan(50);
    expect(malformed.length).toBeGreaterThan(3);
  });
  for (const { file, xml } of corpus) {
    it(`${file}: same tree and spans`, () => {
      const ours = outcome(parsePositioned, xml);
      expect(ours.ok).toBe(true);
      expect(ours).toEqual(outcome(saxesPositioned, xml));
    });
  }
  for (const { file, xml } of malformed) {
    it(`malformed/${file}: refused by both`, () => {
      expect(outcome(saxesPositioned, xml).ok).toBe(false);
      expect(outcome(parsePositioned, xml).ok).toBe(false);
    });
  }
  it('random cuts and splices of corpus files: same verdict, and the same tree when accepted', () => {
    let accepted = 0;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: corpus.length - 1 }), fc.nat(), fc.nat(), fc.constantFrom('', '<', '&', '>', ']]>', '</x>', '<a/>', '&amp;', '"', "'", '<!-- c -->', '<![CDATA[ x ]]>', '\u0001', '\r\n'), (k, a, b, insert) => {
        const xml = corpus[k]!.xml;
        const from = a % (xml.length + 1);
        const to = Math.min(xml.length, from + (b % 40));
        const mutated = xml.slice(0, from) + insert + xml.slice(to);
        const ours = outcome(parsePositioned, mutated);
        if (ours.ok) accepted++;
        expect(ours).toEqual(outcome(saxesPositioned, mutated));
      }),
      { numRuns: 1500, seed: 20261201 },
    );
    // Some mutations keep the document well-formed (inserting '' or '&amp;' in text): both paths ran.
    expect(accepted).toBeGreaterThan(50);
  });
});
