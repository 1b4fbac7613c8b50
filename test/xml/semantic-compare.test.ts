import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sameConfig } from '../../src/plan/same-job-config.js';
import { normalConfig } from '../../src/xml/semantic-compare.js';
import { GET_DECLARATION, serialiseXml } from '../../src/xml/serialise.js';
import { parseXml } from '../../src/xml/tree.js';
import { sharedPath } from '../helpers/shared.js';
import { fxpSameConfig } from './fxp-semantic-compare.js';

describe('sameConfig (drift comparison)', () => {
  const rendered = '<?xml version="1.0" encoding="UTF-8"?>\n<project>\n  <description>x &amp; y</description>\n  <disabled>false</disabled>\n  <scm class="hudson.scm.NullSCM" a="1"/>\n</project>\n';
  it('ignores declaration, indentation, empty-element form, attribute order, plugin attributes and the marker', () => {
    const jenkins = `<?xml version='1.1' encoding='UTF-8'?>\n<project><description>x &#38; y\n&lt;!-- jobsmith:v1 project=p template=t hash=h --&gt;</description><disabled>false</disabled><scm a="1" class="hudson.scm.NullSCM" plugin="scm@1"></scm></project>`;
    expect(sameConfig(rendered, jenkins)).toBe(true);
  });
  it('sees changed text, attributes, elements and order of elements', () => {
    expect(sameConfig(rendered, rendered.replace('false', 'true'))).toBe(false);
    expect(sameConfig(rendered, rendered.replace('a="1"', 'a="2"'))).toBe(false);
    expect(sameConfig(rendered, rendered.replace('<disabled>false</disabled>', ''))).toBe(false);
    expect(sameConfig(rendered, rendered.replace('x &amp; y', 'x and y'))).toBe(false);
  });
  it('treats malformed XML as different', () => {
    expect(sameConfig(rendered, '<project><oops></project>')).toBe(false);
  });
});

describe('sameConfig on real configs, against the fast-xml-parser comparison it replaced', () => {
  const corpusDir = sharedPath('corpus');
  const files = readdirSync(corpusDir).filter((f) => f.endsWith('.xml')).sort();
  it('has the corpus', () => expect(files.length).toBeGreaterThan(50));
  for (const f of files) {
    it(`${f}: equal to its Jenkins-style re-serialisation, different after a one-value change, like the old comparison`, () => {
      const xml = readFileSync(path.join(corpusDir, f), 'utf8');
      const jenkins = serialiseXml(parseXml(xml), GET_DECLARATION);
      expect(sameConfig(xml, jenkins)).toBe(true);
      expect(fxpSameConfig(xml, jenkins)).toBe(true);
      // Change the first non-blank text value: both comparisons see it.
      const m = />([^<>\s][^<>]*)</.exec(xml.slice(xml.indexOf('>', xml.indexOf('<', xml.indexOf('?>') + 2)) + 1));
      if (!m) return;
      const at = xml.indexOf(m[0]);
      const changed = xml.slice(0, at) + '>changed-' + xml.slice(at + 1);
      expect(sameConfig(xml, changed)).toBe(false);
      expect(fxpSameConfig(xml, changed)).toBe(false);
    });
  }
  it('CDATA and escaped text of the same value are the same (Jenkins writes either)', () => {
    const a = '<project><command><![CDATA[echo "a < b" && x]]></command></project>';
    const b = '<project><command>echo &quot;a &lt; b&quot; &amp;&amp; x</command></project>';
    expect(sameConfig(a, b)).toBe(true);
    expect(sameConfig(a, b.replace('&amp;&amp; x', '&amp;&amp; y'))).toBe(false);
  });
});

describe('the normal form (plan --diff, --verify)', () => {
  it('is readable XML: one element per line, attributes sorted without plugin, text decoded and escaped', () => {
    const xml = `<?xml version='1.1' encoding='UTF-8'?>\n<!-- c --><project><description>it&apos;s &lt;b&gt; &amp; "q"</description><scm plugin="x@1" z="1" a="&quot;2&quot;"></scm><builders>\n   <s><command><![CDATA[echo <x>\r\nline 2]]></command></s></builders><mixed>a<b/>c</mixed></project>\n`;
    expect(normalConfig(xml)).toBe(
      [
        '<project>',
        `  <description>it's &lt;b&gt; &amp; "q"</description>`,
        '  <scm a="&quot;2&quot;" z="1"/>',
        '  <builders>',
        '    <s>',
        '      <command>echo &lt;x&gt;\nline 2</command>',
        '    </s>',
        '  </builders>',
        '  <mixed>',
        '    a',
        '    <b/>',
        '    c',
        '  </mixed>',
        '</project>',
        '',
      ].join('\n'),
    );
  });
  it('leaves out the root children it is told to (and only at the root)', () => {
    const a = '<project><disabled>true</disabled><x><disabled>true</disabled></x></project>';
    const b = '<project><disabled>false</disabled><x><disabled>true</disabled></x></project>';
    const opts = { ignoreRootChildren: new Set(['disabled']) };
    expect(normalConfig(a, opts)).toBe(normalConfig(b, opts));
    expect(normalConfig(a, opts)).toContain('<disabled>true</disabled>'); // the nested one stays
    expect(sameConfig(a, b)).toBe(false);
  });
  it('cannot be fooled by text that looks like markup', () => {
    expect(normalConfig('<a><b>x</b></a>')).not.toBe(normalConfig('<a>&lt;b&gt;x&lt;/b&gt;</a>'));
    expect(normalConfig('<a>x<b/></a>')).not.toBe(normalConfig('<a><b/>x</a>'));
  });
});

describe('the normal form: whitespace and line ends (break-i findings 1 and 3)', () => {
  const same = (a: string, b: string): boolean => normalConfig(a) === normalConfig(b);
  it("keeps a leaf element's text exactly: leading or trailing whitespace is part of the value", () => {
    const base = '<p><defaultValue>prod</defaultValue></p>';
    for (const v of ['prod ', '  prod', '\tprod', 'prod\n', 'prod\u00a0', '\u3000prod', 'prod\ufeff']) {
      expect(same(base, `<p><defaultValue>${v}</defaultValue></p>`), JSON.stringify(v)).toBe(false);
    }
    expect(normalConfig('<p><d> a </d></p>')).toBe('<p>\n  <d> a </d>\n</p>\n');
  });
  it('whitespace-only leaf text: indentation (with a line break) goes, spaces on one line are a value', () => {
    expect(same('<p><builders>\n  </builders></p>', '<p><builders/></p>')).toBe(true);
    expect(same('<p><builders>\r\n</builders></p>', '<p><builders></builders></p>')).toBe(true);
    expect(same('<p><d> </d></p>', '<p><d/></p>')).toBe(false);
    expect(same('<p><d>\u00a0</d></p>', '<p><d/></p>')).toBe(false);
  });
  it('between child elements only XML whitespace is formatting: a no-break space is text', () => {
    expect(same('<p>\n  <a/>\n\t<b/>\r\n</p>', '<p><a/><b/></p>')).toBe(true);
    expect(same('<p><a/>\u00a0<b/></p>', '<p><a/><b/></p>')).toBe(false);
    expect(same('<p>\n x \n<a/></p>', '<p>x<a/></p>')).toBe(true); // stray text in element content: trimmed
  });
  it('U+2028 and U+0085 read as line ends in either XML version (what Jenkins reads from its 1.1 files)', () => {
    const v10 = '<p><d>a\u2028b\u0085c</d></p>';
    const v11 = "<?xml version='1.1' encoding='UTF-8'?>\n<p><d>a\u2028b\u0085c</d></p>";
    expect(normalConfig(v10)).toBe(normalConfig(v11));
    expect(normalConfig(v10)).toBe(normalConfig('<p><d>a\nb\nc</d></p>'));
    expect(normalConfig('<p><d x="a&#x2028;b"/></p>')).toBe(normalConfig("<?xml version='1.1'?><p><d x=\"a\u2028b\"/></p>")); // an attribute: a space
    expect(same(v10, '<p><d>a\nb c</d></p>')).toBe(false);
  });
});
