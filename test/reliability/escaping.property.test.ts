/**
 * Escaping, searched for counter-examples (issue 10): arbitrary strings over the whole Unicode
 * range (plus the characters XML cannot carry: NUL, C0/C1 controls, lone surrogates, U+FFFE/FFFF)
 * and the hostile fragments (`]]>`, `&`, quotes, `$A.B`, `${A.B}`, `<%`, CR/LF/TAB, NEL, LS) put in
 * every token position of a template: element text, attribute values in double and single quotes
 * (alone and between literal text), a CDATA section; for XML 1.0 and XML 1.1 documents. (Comments
 * are passed through untouched by render: a token-like text in a comment must stay as written.)
 *
 * - When every character is one the document's XML version allows, the rendered document is
 *   well-formed for an independent conforming parser (saxes) and parsing gives back exactly the
 *   value in text, attribute and CDATA positions.
 * - Otherwise render reports an error diagnostic naming the character and writes nothing.
 */
import fc from 'fast-check';
import { SaxesParser } from 'saxes';
import { afterAll, describe, expect, it } from 'vitest';
import { parseTemplate } from '../../src/load/parsed-template.js';
import { renderTemplate } from '../../src/render/render-template.js';
import { countCase, countCoverage, newFigures, runs, saveFigures } from './figures.js';

const figures = newFigures();
afterAll(() => saveFigures('escaping', figures));

type Version = '1.0' | '1.1';

/** XML Char production (1.0: §2.2; 1.1: §2.2, restricted characters allowed as references). */
function carriable(value: string, version: Version): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = value.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        i++;
        continue;
      }
      return false;
    }
    if (c >= 0xdc00 && c <= 0xdfff) return false;
    if (c === 0xfffe || c === 0xffff || c === 0) return false;
    if (c < 0x20 && version === '1.0' && c !== 0x9 && c !== 0xa && c !== 0xd) return false;
  }
  return true;
}

function template(version: Version): string {
  return (
    `<?xml version='${version}' encoding='UTF-8'?>\n` +
    `<project>\n` +
    `  <description>$V.TEXT</description>\n` +
    `  <properties><p name="$V.ATTR" other='$V.SQ' mixed="pre-\${V.ATTR}-post"/></properties>\n` +
    `  <builders><hudson.tasks.Shell><command><![CDATA[$V.CDATA]]></command></hudson.tasks.Shell></builders>\n` +
    `  <!-- note: $V.COMMENT -->\n` +
    `  <assignedNode>before \${V.TEXT} after</assignedNode>\n` +
    `</project>\n`
  );
}

interface Parsed {
  errors: string[];
  text: Record<string, string>;
  attrs: Record<string, string>;
  comments: string[];
}

function parse(xml: string): Parsed {
  const p = new SaxesParser();
  const out: Parsed = { errors: [], text: {}, attrs: {}, comments: [] };
  const stack: string[] = [];
  p.on('error', (e) => out.errors.push(e.message));
  p.on('opentag', (t) => {
    stack.push(t.name);
    for (const [k, v] of Object.entries(t.attributes)) out.attrs[`${t.name}@${k}`] = String(v);
  });
  p.on('closetag', () => void stack.pop());
  const add = (s: string) => {
    const k = stack[stack.length - 1] ?? '';
    out.text[k] = (out.text[k] ?? '') + s;
  };
  p.on('text', add);
  p.on('cdata', add);
  p.on('comment', (c) => out.comments.push(c));
  try {
    p.write(xml).close();
  } catch (e) {
    out.errors.push((e as Error).message);
  }
  return out;
}

const hostile = fc.constantFrom(
  ']]>', ']]', ']', '&', '&amp;', '&#10;', '&lt;', '<', '>', '"', "'", '$A.B', '${A.B}', '$V.TEXT', '<%', '<%= x %>', '%>', '--', '-', '-->', '<!--',
  '\n', '\r', '\r\n', '\t', '\u0085', '\u2028', '</description><x>', '<![CDATA[', '?>', '\uFEFF', '🙂', 'é', '\u0301',
);
const illegal = fc.constantFrom('\u0000', '\u0001', '\u0008', '\u000B', '\u000C', '\u001F', '\uD800', '\uDFFF', '\uFFFE', '\uFFFF', '\u007F', '\u0080', '\u009F');
const valueArb = fc.oneof(
  { weight: 3, arbitrary: fc.array(fc.oneof(hostile, fc.string({ unit: 'binary', maxLength: 4 }), fc.string({ unit: 'grapheme', maxLength: 3 })), { maxLength: 12 }).map((a) => a.join('')) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.array(fc.oneof(hostile, illegal, fc.string({ maxLength: 3 })), { maxLength: 8 }).map((a) => a.join('')) },
);

const N = runs(1500);

describe('escaping (property)', () => {
  for (const version of ['1.0', '1.1'] as const) {
    it(`XML ${version}: every value round-trips exactly in text, attribute and CDATA, or is refused (${N} cases)`, () => {
      const file = `job-templates/Rel-${version}-config.xml`;
      const { template: t, diagnostics } = parseTemplate(`Rel-${version}`, file, new TextEncoder().encode(template(version)));
      expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(t.xmlVersion).toBe(version);
      fc.assert(
        fc.property(valueArb, valueArb, valueArb, valueArb, (text, attr, sq, cdata) => {
          countCase(figures, `escaping XML ${version}: round trip in text, attribute (both quotes), CDATA`);
          const values = { 'V.TEXT': text, 'V.ATTR': attr, 'V.SQ': sq, 'V.CDATA': cdata };
          const r = renderTemplate(t, values, { where: { file: 'jobs/rel.yaml', line: 3, column: 5 }, job: 'rel-job' });
          const ok = Object.values(values).every((v) => carriable(v, version));
          const errors = r.diagnostics.filter((d) => d.severity === 'error');
          if (!ok) {
            countCoverage(figures, `XML ${version}: values XML cannot carry, refused`);
            figures.badInputs++;
            expect(errors.length, JSON.stringify(values)).toBeGreaterThan(0);
            expect(r.config).toBe('');
            for (const e of errors) {
              expect(e.file).toBeDefined();
              expect(e.message).toMatch(/U\+[0-9A-F]{4}/);
            }
            return;
          }
          countCoverage(figures, `XML ${version}: values rendered and parsed back`);
          expect(errors, JSON.stringify(values)).toEqual([]);
          const p = parse(r.config);
          expect(p.errors, JSON.stringify({ values, config: r.config })).toEqual([]);
          expect(p.text.description ?? '').toBe(text);
          expect(p.attrs['p@name']).toBe(attr);
          expect(p.attrs['p@other']).toBe(sq);
          expect(p.attrs['p@mixed']).toBe(`pre-${attr}-post`);
          expect(p.text.command ?? '').toBe(cdata);
          expect(p.text.assignedNode ?? '').toBe(`before ${text} after`);
          // a comment is passed through untouched (tokens inside comments are not substituted)
          expect(p.comments).toEqual([' note: $V.COMMENT ']);
          // the template's bytes outside the tokens are kept
          expect(r.config.startsWith(`<?xml version='${version}' encoding='UTF-8'?>\n<project>\n  <description>`)).toBe(true);
          expect(r.config.endsWith(`</assignedNode>\n</project>\n`)).toBe(true);
        }),
        { numRuns: N },
      );
    });
  }
});
