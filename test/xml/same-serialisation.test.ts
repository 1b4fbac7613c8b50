/**
 * The fast path of `--verify` (src/xml/same-serialisation.ts): "byte-equal after rewrites that change
 * nothing a parser reads". It may only ever answer true for documents the full semantic comparison
 * (normal forms) calls the same; it answers for most configs Jenkins re-serialised from a template.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sameSerialisation } from '../../src/xml/same-serialisation.js';
import { normalConfig } from '../../src/xml/semantic-compare.js';
import { GET_DECLARATION, serialiseXml } from '../../src/xml/serialise.js';
import { parseXml } from '../../src/xml/tree.js';
import { sharedPath } from '../helpers/shared.js';
import { assertWithSeed, replayHint } from '../helpers/property-seed.js';

const base = `<?xml version='1.0' encoding='UTF-8'?>
<project>
  <description>it's "a" &gt; b &amp; c</description>
  <scm class="hudson.scm.NullSCM" a="x&quot;y"></scm>
  <builders>
    <hudson.tasks.Shell>
      <command>make &lt;all&gt;</command>
    </hudson.tasks.Shell>
  </builders>
  <publishers></publishers>
</project>
`;
/** What XStream writes for it: 1.1 declaration, `'` `"` `>` escaped in text, empty elements self-closed, no final newline. */
const jenkins = `<?xml version="1.1" encoding="UTF-8"?>
<project>
  <description>it&apos;s &quot;a&quot; &gt; b &amp; c</description>
  <scm class="hudson.scm.NullSCM" a="x&quot;y"/>
  <builders>
    <hudson.tasks.Shell>
      <command>make &lt;all&gt;</command>
    </hudson.tasks.Shell>
  </builders>
  <publishers/>
</project>`;

/** The full comparison (strict: root children in order). */
function sameNormalForm(a: string, b: string): boolean {
  try {
    return normalConfig(a) === normalConfig(b);
  } catch {
    return false;
  }
}

describe('sameSerialisation', () => {
  it("is true for Jenkins' re-serialisation of a config (declaration, empty elements, escaped text, final newline)", () => {
    expect(sameSerialisation(jenkins, base)).toBe(true);
    expect(sameNormalForm(jenkins, base)).toBe(true);
    expect(sameSerialisation(base, base)).toBe(true);
    expect(sameSerialisation(`\uFEFF${jenkins}\n\n`, base)).toBe(true);
    expect(sameSerialisation(jenkins.replace('<?xml version="1.1" encoding="UTF-8"?>\n', ''), base)).toBe(true);
    expect(sameSerialisation(jenkins.replace('<publishers/>', '<publishers></publishers >'), base)).toBe(true);
    // a space before '>' is kept as written: no answer, the normal forms decide
    expect(sameSerialisation(jenkins.replace('<publishers/>', '<publishers ></publishers>'), base)).toBe(false);
  });

  it('is false for every real difference: text, attribute, element, order, an entity in an attribute', () => {
    const edits: Array<[string, string]> = [
      ['make &lt;all&gt;', 'make &lt;al&gt;'],
      ['NullSCM', 'NullSCM2'],
      ['a="x&quot;y"', 'a="x&quot;z"'],
      ['<publishers/>', '<publishers>x</publishers>'],
      ['<publishers/>', '<publisher/>'],
      ['<publishers/>', ''],
      ['it&apos;s', 'it&apos; s'],
    ];
    for (const [from, to] of edits) {
      const live = jenkins.replace(from, to);
      expect(live, from).not.toBe(jenkins);
      expect(sameSerialisation(live, base), `${from} -> ${to}`).toBe(false);
    }
    // an entity decoded in an attribute would end the value: attributes are compared as written
    expect(sameSerialisation(jenkins.replace('a="x&quot;y"', `a='x"y'`), base)).toBe(false);
    // root children in another order: the normal forms decide (--verify compares them unordered)
    const swapped = jenkins.replace('  <publishers/>\n', '').replace('  <builders>', '  <publishers/>\n  <builders>');
    expect(sameSerialisation(swapped, base)).toBe(false);
  });

  it('gives no answer (false) where a byte rewrite could touch text: comments, CDATA, PIs, DOCTYPE, character references, CR, controls, odd declarations', () => {
    const same = (extra: string) => base.replace('<builders>', `${extra}<builders>`);
    for (const extra of ['<!-- c -->', '<![CDATA[<a></a>]]>', '<?pi x?>', '&#10;', '\r', '\u0001', '\u0085', '\u2028']) {
      const a = same(extra);
      expect(sameSerialisation(a, a + ' '), JSON.stringify(extra)).toBe(false);
    }
    expect(sameSerialisation(`<!DOCTYPE project>${jenkins.slice(jenkins.indexOf('\n') + 1)}`, base)).toBe(false);
    expect(sameSerialisation(jenkins.replace('version="1.1"', 'version="2.0"'), base)).toBe(false);
    expect(sameSerialisation(jenkins.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"'), base)).toBe(false);
    // a declaration XML does not allow (upper-case keywords, a no-break space) is malformed: no answer
    for (const decl of ['<?XML VERSION="1.1"?>', '<?xml\u00a0version="1.1"?>', '<?xml version="1.1" ENCODING="UTF-8"?>', '<?xml version="1.1" encoding="UTF-8" standalone="YES"?>']) {
      expect(sameSerialisation(jenkins.replace('<?xml version="1.1" encoding="UTF-8"?>', decl), base), decl).toBe(false);
    }
    expect(sameSerialisation(jenkins.replace('encoding="UTF-8"', 'encoding="utf-8"'), base)).toBe(true);
    // CDATA holding what looks like an empty element is not rewritten into a different text
    const cdata = '<p><c><![CDATA[<a></a>]]></c></p>';
    expect(sameSerialisation(cdata, '<p><c><![CDATA[<a/>]]></c></p>')).toBe(false);
  });

  it("a quoted '>' in an attribute value does not end the tag", () => {
    const a = '<p><e k="a>b"></e><f x=\'1>\'/></p>';
    expect(sameSerialisation(a, '<p><e k="a>b"/><f x=\'1>\'/></p>')).toBe(true);
    expect(sameSerialisation(a, '<p><e k="a>c"/><f x=\'1>\'/></p>')).toBe(false);
  });

  it('an end tag that is not the element\'s own is not folded', () => {
    expect(sameSerialisation('<p><a></b></p>', '<p><a/></p>')).toBe(false);
    expect(sameSerialisation('<p><ab></a></p>', '<p><ab/></p>')).toBe(false);
    expect(sameSerialisation('<p><a x="1"/></a></p>', '<p><a x="1"/></p>')).toBe(false);
  });
});

describe('sameSerialisation on the corpus', () => {
  const dir = sharedPath('corpus');
  const corpus = readdirSync(dir)
    .filter((f) => f.endsWith('.xml'))
    .sort()
    .map((f) => ({ file: f, xml: readFileSync(path.join(dir, f), 'utf8') }))
    .filter(({ xml }) => {
      try {
        parseXml(xml);
        return true;
      } catch {
        return false;
      }
    });

  it("answers for most configs as Jenkins re-serialises them, and only where the normal forms agree", () => {
    let answered = 0;
    for (const { file, xml } of corpus) {
      const live = serialiseXml(parseXml(xml), GET_DECLARATION);
      if (sameSerialisation(live, xml)) {
        answered++;
        expect(sameNormalForm(live, xml), file).toBe(true);
      }
    }
    expect(corpus.length).toBeGreaterThan(50);
    // the fast path is only worth having when it answers for most: 50 of 64 today
    expect(answered / corpus.length).toBeGreaterThan(0.6);
  });

  it('random edits of corpus configs: true only when the normal forms are equal (never hides a change)', () => {
    // edits that keep the meaning, edits that change it, and markup that must stop the fast path
    const inserts = ['', ' ', '\n', 'x', '&gt;', '>', '&apos;', "'", '&quot;', '"', '&amp;', '<a/>', '<a></a>', '</a>', '/', '<!-- c -->', '<![CDATA[<a></a>]]>', '&#62;', '\r', '=""'];
    let answered = 0;
    const seed = assertWithSeed(
      fc.property(fc.integer({ min: 0, max: corpus.length - 1 }), fc.nat(), fc.nat(7), fc.constantFrom(...inserts), fc.boolean(), (k, at, cut, insert, jenkinsSide) => {
        const xml = corpus[k]!.xml;
        const live = jenkinsSide ? serialiseXml(parseXml(xml), GET_DECLARATION) : xml;
        const from = at % (live.length + 1);
        const mutated = live.slice(0, from) + insert + live.slice(Math.min(live.length, from + cut));
        if (sameSerialisation(mutated, xml)) {
          answered++;
          expect(sameNormalForm(mutated, xml), `${corpus[k]!.file} @${from} ${JSON.stringify(insert)} cut ${cut}`).toBe(true);
        }
      }),
      { numRuns: 2500 },
    );
    // some edits are harmless (an empty insert, a space in indentation): the property was exercised
    expect(answered, replayHint(seed)).toBeGreaterThan(10);
  });
});

describe('the declaration (break-i finding 7)', () => {
  const pushed = '<?xml version="1.0" encoding="UTF-8"?><project><description>d</description></project>';
  it('gives no answer for a declaration that is not well-formed (upper-case names, a no-break space, YES)', () => {
    for (const decl of ['<?XML VERSION="1.0"?>', '<?xml\u00a0version="1.0"?>', '<?xml version="1.1" ENCODING="utf-8"?>', '<?xml version="1.1" standalone="YES"?>', '<?xml version="1.0"\u3000?>']) {
      expect(sameSerialisation(decl + '<project><description>d</description></project>', pushed), decl).toBe(false);
    }
  });
  it('answers for the spellings XML allows: either quote, XML whitespace, the encoding name in any case', () => {
    for (const decl of ["<?xml version='1.1' encoding='UTF-8'?>", '<?xml\tversion = "1.0"\nencoding="utf-8" standalone="no" ?>', "<?xml version='1.0' encoding='Utf-8'?>"]) {
      expect(sameSerialisation(decl + '\n<project><description>d</description></project>', pushed), decl).toBe(true);
    }
  });
});
