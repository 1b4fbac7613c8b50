import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedPath } from '../helpers/shared.js';
import { parseTemplate } from '../../src/load/parsed-template.js';
import { renderTemplate } from '../../src/render/render-template.js';

const corpus = sharedPath('corpus');
const wellFormed = readdirSync(corpus).filter((f) => f.endsWith('.xml')).sort();
const malformed = readdirSync(path.join(corpus, 'malformed')).filter((f) => f.endsWith('.xml')).sort();

/** Where each malformed file breaks (line of the first error), as strict parsers see it. */
const EXPECTED_LINE: Record<string, number> = {
  '003-eea-2010-promotion-nul-charref.xml': 37,
  'bad-mismatched-tag.xml': 19,
  'bad-stray-ampersand.xml': 12,
  'bad-truncated.xml': 14,
  'bad-two-roots.xml': 11,
  'bad-unclosed-tag.xml': 20,
  'bad-undefined-entity.xml': 5,
};

describe('real config.xml corpus as templates', () => {
  it('has files to test', () => {
    expect(wellFormed.length).toBeGreaterThan(50);
    expect(malformed.length).toBe(Object.keys(EXPECTED_LINE).length);
  });

  for (const f of wellFormed) {
    it(`${f} renders byte-identical (no tokens, no diagnostics)`, () => {
      const bytes = readFileSync(path.join(corpus, f));
      const { template, diagnostics } = parseTemplate('corpus', path.join(corpus, f), new Uint8Array(bytes));
      expect(diagnostics).toEqual([]);
      expect(template.tokens).toEqual([]);
      expect(template.rootElement).toBeTruthy();
      const r = renderTemplate(template, {});
      expect(r.diagnostics).toEqual([]);
      expect(Buffer.compare(Buffer.from(r.config, 'utf8'), bytes)).toBe(0);
    });
  }

  for (const f of malformed) {
    it(`malformed/${f} gives an error with file and line`, () => {
      const file = path.join(corpus, 'malformed', f);
      const { template, diagnostics } = parseTemplate('bad', file, new Uint8Array(readFileSync(file)));
      const errors = diagnostics.filter((d) => d.severity === 'error');
      expect(errors.length).toBeGreaterThanOrEqual(1);
      expect(errors[0]!.file).toBe(file);
      expect(errors[0]!.line).toBe(EXPECTED_LINE[f]);
      expect(errors[0]!.column).toBeGreaterThan(0);
      expect(errors[0]!.message).toMatch(/^not well-formed XML: /);
      expect(template.renderable).toBe(false);
      expect(renderTemplate(template, {}).config).toBe('');
    });
  }
});
