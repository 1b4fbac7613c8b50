import { describe, expect, it } from 'vitest';
import { lineColumn, scanXml } from '../../src/xml/scan.js';

const names = (xml: string) => scanXml(xml).slots.map((s) => `${s.name}@${s.context}`);

describe('token scanning', () => {
  it('finds tokens with their XML context', () => {
    expect(names(`<r a="$A.B x" b='${'${C.D}'}'>$E.F<![CDATA[$G.H]]></r>`)).toEqual(['A.B@attribute', 'C.D@attribute', 'E.F@text', 'G.H@cdata']);
  });

  it('takes the longest dotted name; a trailing dot is not part of it; braces end a name', () => {
    const s = scanXml('<r>$POM.ARTIFACTID. ${SCM.PATH}_x $SCM.PATH/trunk $A.B.C9_D</r>');
    expect(s.slots.map((x) => x.name)).toEqual(['POM.ARTIFACTID', 'SCM.PATH', 'SCM.PATH', 'A.B.C9_D']);
    expect(s.parts).toEqual(['<r>', '. ', '_x ', '/trunk ', '</r>']);
  });

  it('leaves dot-less and lower-case names alone ($WORKSPACE, ${BUILD_NUMBER}, ${project.version})', () => {
    expect(names('<r>$WORKSPACE ${BUILD_NUMBER} ${project.version} $a.B $1.X ${A.B</r>')).toEqual([]);
  });

  it('leaves tokens in comments, processing instructions and names alone', () => {
    expect(names('<?pi $A.B?><!-- $A.B --><r><!-- $C.D --></r>')).toEqual([]);
  });

  it('$$ before a token name writes a literal $; a lone $$ stays', () => {
    const s = scanXml('<r>$${ANT.PROP} $$X.Y echo $$ $A.B</r>');
    expect(s.slots.map((x) => x.name)).toEqual(['A.B']);
    expect(s.parts).toEqual(['<r>${ANT.PROP} $X.Y echo $$ ', '</r>']);
  });

  it('reads the version from the declaration', () => {
    expect(scanXml(`<?xml version='1.1' encoding='UTF-8'?><r/>`).version).toBe('1.1');
    expect(scanXml(`<?xml version="1.0"?><r/>`).version).toBe('1.0');
    expect(scanXml(`<r/>`).declaration).toBe(false);
  });

  it('parts are always one more than slots', () => {
    for (const xml of ['<r a="$$A.B $C.D">$$E.F $G.H<![CDATA[$$I.J $K.L]]>$$M.N</r>', '<r>$$A.B</r>']) {
      const s = scanXml(xml);
      expect(s.parts.length).toBe(s.slots.length + 1);
      let out = s.parts[0]!;
      s.slots.forEach((slot, i) => (out += '#' + s.parts[i + 1]!));
      expect(out).toBe(xml.replace(/\$\$/g, '$').replace(/\$[A-Z]\.[A-Z](?=[ "\]<])/g, (m) => (m === '$C.D' || m === '$G.H' || m === '$K.L' ? '#' : m)));
    }
  });

  it('keeps every byte: parts joined with the tokens restore the input', () => {
    const xml = `\uFEFF<?xml version='1.0'?>\r\n<!-- c -->\r\n<r x="&amp;$A.B">é&#233;<![CDATA[<$C.D>]]>\r\n</r>`;
    const s = scanXml(xml);
    let out = s.parts[0]!;
    s.slots.forEach((slot, i) => (out += xml.slice(slot.offset, slot.end) + s.parts[i + 1]!));
    expect(out).toBe(xml);
  });
});

describe('well-formedness', () => {
  const err = (xml: string) => {
    const e = scanXml(xml).errors[0];
    return e ? `${lineColumn(xml, e.offset).line}:${lineColumn(xml, e.offset).column} ${e.message}` : undefined;
  };
  it('accepts well-formed documents', () => {
    expect(err(`<?xml version='1.0'?>\n<!DOCTYPE r [<!ENTITY e "x">]>\n<r a="1" b='2'><x/><?pi x?>&e;&#x10FFFF;</r>\n`)).toBeUndefined();
  });
  it.each([
    ['<r><a></b></r>', '1:7 close tag </b> does not match <a> opened at 1:4'],
    ['<r>a & b</r>', "1:6 '&' must start a reference"],
    ['<r>&nbsp;</r>', '1:4 undefined entity &nbsp;'],
    ['<r>&#0;</r>', '1:4 &#0; refers to a character XML 1.0 does not allow'],
    ['<r>&#1;</r>', '1:4 &#1; refers to a character XML 1.0 does not allow'],
    ['<r/><r/>', '1:5 a second root element <r>'],
    ['<r>', '1:4 the file ends inside <r> opened at 1:1'],
    ['<r a=1/>', '1:6 attribute a value must be quoted'],
    ['<r a="1" a="2"/>', '1:10 attribute a given twice'],
    ['<r a="<"/>', "1:7 '<' is not allowed in the value of attribute a"],
    ['<r>]]></r>', "1:4 ']]>' is not allowed in text"],
    ['<r><!-- a -- b --></r>', "1:11 '--' is not allowed inside a comment"],
    ['x<r/>', '1:1 text before the root element'],
    ['<r/>x', '1:5 text after the root element'],
    ['', '1:1 no root element'],
    ['<r>\n<?xml version="1.0"?></r>', '2:1 the XML declaration is only allowed at the very start'],
    ['<?xml version="1.0" encoding="ISO-8859-1"?><r/>', '1:1 encoding "ISO-8859-1" is not supported'],
    ['<r>\u0001</r>', '1:4 character U+0001 is not allowed in XML 1.0'],
  ])('%j -> %s', (xml, expected) => {
    expect(err(xml)).toMatch(new RegExp('^' + expected.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  });
  it('XML 1.1 allows &#1; but not a literal U+0001', () => {
    expect(err(`<?xml version='1.1'?><r>&#1;</r>`)).toBeUndefined();
    expect(err(`<?xml version='1.1'?><r>\u0001</r>`)).toMatch(/must be written as a reference/);
  });
  it('XML 1.1 line ends (NEL U+0085, LINE SEPARATOR U+2028) are whitespace wherever whitespace may be, like saxes', () => {
    const v11 = `<?xml version='1.1' encoding='UTF-8'?>`;
    for (const eol of ['\u0085', '\u2028', '\r\u0085']) {
      expect(err(`${v11}<r/>${eol}`), JSON.stringify(eol)).toBeUndefined();
      expect(err(`${v11}${eol}<r/>${eol}<!-- c -->${eol}`)).toBeUndefined();
      expect(err(`${v11}<r${eol}a='1'${eol}b${eol}=${eol}'2'${eol}/>`)).toBeUndefined();
      expect(err(`${v11}<r></r${eol}>`)).toBeUndefined();
      expect(err(`${v11}<?pi${eol}x?><r/>`)).toBeUndefined();
      // XML 1.0 knows only tab, CR, LF and space
      expect(err(`<?xml version='1.0'?><r/>${eol}`)).toMatch(/^1:\d+ text after the root element/);
      expect(err(`<r/>${eol}`)).toMatch(/text after the root element/);
      // section 2.11: not inside the XML declaration (it is read before the version is known)
      expect(err(`<?xml version='1.1'${eol}?><r/>`)).toMatch(/malformed XML declaration/);
    }
    // a non-whitespace character after the root is still refused, at its place
    expect(err(`${v11}<r/>\u2028x`)).toMatch(/^1:\d+ text after the root element/);
    expect(scanXml(`${v11}<r/>\u2028x`).errors[0]!.offset).toBe(v11.length + 5);
  });
});
