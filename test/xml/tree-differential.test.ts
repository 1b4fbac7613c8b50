/**
 * The element tree (src/xml/tree.ts: the stand-in's parser, the label check, svn listings) is built
 * from the project's scanner like the positioned parser the saxes differential tests hold
 * (./positions-differential.test.ts). Here the tree is held to the positioned parser: the same
 * verdict on every corpus file, malformed file and random cut (a DOCTYPE aside, which the tree
 * refuses), and the same elements, attributes and text when accepted.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sharedPath } from '../helpers/shared.js';
import { parsePositioned, type XmlElementNode } from '../../src/xml/positions.js';
import { parseXml, type XmlElement } from '../../src/xml/tree.js';
import { decodeText } from '../../src/xml/escape.js';
import { declaredVersion } from '../../src/xml/scan.js';
import { assertWithSeed, replayHint } from '../helpers/property-seed.js';

const dir = sharedPath('corpus');
const read = (d: string) => readdirSync(d).filter((f) => f.endsWith('.xml')).sort().map((f) => ({ file: f, xml: readFileSync(path.join(d, f), 'utf8') }));
const corpus = read(dir);
const malformed = read(path.join(dir, 'malformed'));

interface Shape {
  name: string;
  attrs: Array<[string, string]>;
  /** Concatenated direct text (CDATA included), and the children. */
  text: string;
  children: Shape[];
}
function fromTree(el: XmlElement): Shape {
  return { name: el.name, attrs: el.attrs, text: el.children.filter((c): c is string => typeof c === 'string').join(''), children: el.children.filter((c): c is XmlElement => typeof c !== 'string').map(fromTree) };
}
function fromPositions(text: string, el: XmlElementNode): Shape {
  const v = declaredVersion(text);
  return {
    name: el.name,
    attrs: Object.entries(el.attrs),
    text: el.texts.map((t) => decodeText(text.slice(t.start, t.end), t.kind === 'cdata', v)).join(''),
    children: el.children.map((c) => fromPositions(text, c)),
  };
}
function verdict(xml: string, which: 'tree' | 'positions'): { ok: true; shape: Shape } | { ok: false } {
  try {
    return which === 'tree' ? { ok: true, shape: fromTree(parseXml(xml)) } : { ok: true, shape: fromPositions(xml, parsePositioned(xml).root) };
  } catch {
    return { ok: false };
  }
}

describe('tree parser vs positioned parser (one scanner)', () => {
  for (const { file, xml } of corpus) {
    it(`${file}: same tree`, () => {
      const t = verdict(xml, 'tree');
      expect(t.ok).toBe(true);
      expect(t).toEqual(verdict(xml, 'positions'));
    });
  }
  it('malformed files: refused by both', () => {
    for (const { file, xml } of malformed) {
      expect(verdict(xml, 'tree').ok, file).toBe(false);
      expect(verdict(xml, 'positions').ok, file).toBe(false);
    }
  });
  it('random cuts and splices: same verdict and tree (a DOCTYPE only the positioned parser accepts)', () => {
    let accepted = 0;
    const inserts = ['', '<', '&', ']]>', '</x>', '<a/>', '&amp;', '&#10;', '"', '<!-- c -->', '<![CDATA[ x ]]>', '\u0001', '\r\n', '<!DOCTYPE x>', '\t'];
    const seed = assertWithSeed(
      fc.property(fc.integer({ min: 0, max: corpus.length - 1 }), fc.nat(), fc.nat(), fc.constantFrom(...inserts), (k, a, b, insert) => {
        const xml = corpus[k]!.xml;
        const from = a % (xml.length + 1);
        const mutated = xml.slice(0, from) + insert + xml.slice(Math.min(xml.length, from + (b % 40)));
        const t = verdict(mutated, 'tree');
        const p = verdict(mutated, 'positions');
        if (t.ok) accepted++;
        if (/<!DOCTYPE/.test(mutated) && p.ok) expect(t.ok).toBe(false);
        else expect(t).toEqual(p);
      }),
      { numRuns: 800 },
    );
    expect(accepted, replayHint(seed)).toBeGreaterThan(30);
  });
});
