import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SaxesParser } from 'saxes';
import { parseTemplate } from '../../src/load/parsed-template.js';
import { renderTemplate } from '../../src/render/render-template.js';
import { escapeForContext } from '../../src/xml/escape-context.js';

function template(text: string, name = 'T') {
  const r = parseTemplate(name, `job-templates/${name}-config.xml`, new TextEncoder().encode(text));
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.template;
}

/** Parse with an independent strict parser; return the text of <t>, the attribute a of <t>, and the CDATA of <c>. */
function parsed(xml: string): { text: string; attr: string; cdata: string; elements: string[] } {
  const p = new SaxesParser({ position: true });
  const errors: string[] = [];
  const elements: string[] = [];
  let current = '';
  let text = '';
  let cdata = '';
  let attr = '';
  p.on('error', (e) => errors.push(e.message));
  p.on('opentag', (t) => {
    elements.push(t.name);
    current = t.name;
    if (t.name === 't') attr = String(t.attributes['a'] ?? '');
  });
  p.on('closetag', () => (current = ''));
  p.on('text', (s) => {
    if (current === 't') text += s;
    // A CR in a CDATA value leaves the section for a reference: count it as part of the content.
    if (current === 'c') cdata += s;
  });
  p.on('cdata', (s) => {
    if (current === 'c') cdata += s;
  });
  p.write(xml).close();
  expect(errors).toEqual([]);
  return { text, attr, cdata, elements };
}

const HOSTILE = ['</command><x>', ']]>', '&amp;', `"'`, 'line1\nline2\r\nline3\r', 'üñíçødé ✓ 𝄞 日本', '$A.B ${OTHER.TOKEN}', '<% evil() %>', '<!-- -->', '&#0;', ']]]]>>', '\t tab', ''];

describe('hostile values', () => {
  for (const version of ['1.0', '1.1'] as const) {
    const t = template(`<?xml version='${version}' encoding='UTF-8'?>\n<r><t a="$V.A">$V.T</t><c><![CDATA[$V.C]]></c></r>`);
    for (const value of HOSTILE) {
      it(`XML ${version}: ${JSON.stringify(value)} stays literal in text, attribute and CDATA`, () => {
        const r = renderTemplate(t, { 'V.A': value, 'V.T': value, 'V.C': value });
        expect(r.diagnostics).toEqual([]);
        const p = parsed(r.config);
        expect(p.elements).toEqual(['r', 't', 'c']);
        expect(p.text).toBe(value);
        expect(p.attr).toBe(value);
        expect(p.cdata).toBe(value);
      });
    }
  }

  it('splits ]]> inside CDATA across two sections', () => {
    expect(escapeForContext('a]]>b', 'cdata', '1.0').text).toBe('a]]]]><![CDATA[>b');
  });

  it('writes CR as a reference so CRLF in a value survives parsing', () => {
    const t = template(`<r><t a="$V.A">$V.T</t><c><![CDATA[$V.C]]></c></r>`);
    const r = renderTemplate(t, { 'V.A': 'a\r\nb', 'V.T': 'a\r\nb', 'V.C': 'a\r\nb' });
    expect(r.config).toBe('<r><t a="a&#13;&#10;b">a&#13;\nb</t><c><![CDATA[a]]>&#xD;<![CDATA[\nb]]></c></r>');
    const p = parsed(r.config);
    expect(p.text).toBe('a\r\nb');
    expect(p.attr).toBe('a\r\nb');
  });

  it('never re-scans values: a value holding a token name stays literal', () => {
    const t = template(`<r><t>$V.T|$V.U</t></r>`);
    const r = renderTemplate(t, { 'V.T': '$V.U', 'V.U': 'x' });
    expect(r.config).toBe('<r><t>$V.U|x</t></r>');
  });

  it('refuses characters XML 1.0 cannot carry, naming the token', () => {
    const t = template(`<r><t>$V.T</t></r>`);
    const r = renderTemplate(t, { 'V.T': 'a\u0001b' }, { where: { file: 'jobs/p.yaml', line: 3, column: 5 } });
    expect(r.config).toBe('');
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]).toMatchObject({ severity: 'error', code: 'invalid-xml-char', file: 'jobs/p.yaml', line: 3 });
    expect(r.diagnostics[0]!.message).toContain('U+0001');
    expect(r.diagnostics[0]!.message).toContain('XML 1.0');
  });

  it('XML 1.1 carries control characters as references in text and attributes', () => {
    const t = template(`<?xml version='1.1'?>\n<r><t a="$V.A">$V.T</t></r>`);
    const r = renderTemplate(t, { 'V.A': 'a\u0001b', 'V.T': 'a\u001fb\u0085c' });
    expect(r.diagnostics).toEqual([]);
    expect(r.config).toContain('<t a="a&#x1;b">a&#x1F;b&#x85;c</t>');
  });

  it('NUL, U+FFFE and lone surrogates are refused in both versions', () => {
    for (const v of ['1.0', '1.1'] as const) {
      for (const bad of ['\u0000', '\uFFFE', '\uD800x']) {
        expect(escapeForContext(bad, 'text', v).problem).toMatch(/cannot carry/);
      }
    }
  });

  it('random values render to well-formed XML that parses back to the value (text and attribute)', () => {
    const t = template(`<?xml version='1.0' encoding='UTF-8'?>\n<r><t a='$V.A'>$V.T</t><c><![CDATA[$V.C]]></c></r>`);
    const xmlChar = fc.oneof(
      fc.constantFrom('<', '>', '&', '"', "'", ']', ']]>', '$', '{', '}', '\n', '\r', '\t', '<%', '%>', '--', ' ', 'A.B', '$X.Y', '&amp;', '&#10;'),
      fc.string({ unit: 'grapheme', maxLength: 3 }),
    );
    fc.assert(
      fc.property(fc.array(xmlChar, { maxLength: 20 }).map((a) => a.join('')), (value) => {
        const r = renderTemplate(t, { 'V.A': value, 'V.T': value, 'V.C': value });
        if (r.config === '') {
          // Only refused for characters XML cannot carry.
          expect(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u.test(value)).toBe(true);
          return;
        }
        const p = parsed(r.config);
        expect(p.elements).toEqual(['r', 't', 'c']);
        expect(p.text).toBe(value);
        expect(p.attr).toBe(value);
        expect(p.cdata).toBe(value);
      }),
      { numRuns: 400, seed: 4 },
    );
  });

  it('XML 1.1: random values with control characters parse back exactly (text and attribute)', () => {
    const t = template(`<?xml version='1.1' encoding='UTF-8'?>\n<r><t a="$V.A">$V.T</t><c><![CDATA[$V.C]]></c></r>`);
    const piece = fc.oneof(
      fc.constantFrom('\u0001', '\u0008', '\u000B', '\u001F', '\u007F', '\u0085', '\u0090', '\u2028', '\r', '\r\n', '<', '&', ']]>', '"'),
      fc.string({ maxLength: 3 }),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }).map((a) => a.join('')), (value) => {
        const r = renderTemplate(t, { 'V.A': value, 'V.T': value, 'V.C': value });
        if (r.config === '') {
          expect(/[\u0000\uFFFE\uFFFF]|[\uD800-\uDFFF]/.test(value)).toBe(true);
          return;
        }
        const p = parsed(r.config);
        expect(p.text).toBe(value);
        expect(p.attr).toBe(value);
        expect(p.cdata).toBe(value);
      }),
      { numRuns: 300, seed: 11 },
    );
  });
});

