import { describe, expect, it } from 'vitest';
import { firstChild, lastChild, parseXml, setLeaf, XmlSyntaxError, textOf } from '../../src/xml/tree.js';
import { serialiseXml, GET_DECLARATION } from '../../src/xml/serialise.js';
import { checkGoodName, rawEncode, latin1Header, javaTrim } from '../../src/standin/names.js';
import { exportJson, parseTree, Bean, TreeSyntaxError, type Prop } from '../../src/standin/export-tree.js';

describe('safe XML parsing', () => {
  it('parses elements, attributes, entities, CDATA and drops comments', () => {
    const el = parseXml(`<?xml version="1.0" encoding="UTF-8"?>\n<!-- lead --><project a="x &amp; y"><d>1 &lt; 2 &#x41;&#66;</d><!-- c --><e><![CDATA[<raw>]]></e></project>\n`);
    expect(el.name).toBe('project');
    expect(el.attrs).toEqual([['a', 'x & y']]);
    expect(textOf(el)).toBe('1 < 2 AB<raw>');
  });
  it.each([
    ['DOCTYPE with an external entity (XXE)', '<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]><p>&x;</p>', /DOCTYPE is disallowed/],
    ['entity expansion bomb', '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><lolz>&lol2;</lolz>', /DOCTYPE is disallowed/],
    ['undeclared entity', '<p>&nbsp;</p>', /undefined entity &nbsp;/],
    ['mismatched end tag', '<p><a></b></p>', /close tag <\/b> does not match <a>/],
    ['unclosed root', '<p><a/>', /ends inside <p>/],
    ['two roots', '<p/><q/>', /a second root element <q>/],
    ['empty document', '', /no root element/],
    ['text before root', 'x<p/>', /text before the root element/],
    ['unquoted attribute', '<p a=1/>', /quoted/],
    ['duplicate attribute', '<p a="1" a="2"/>', /attribute a given twice/],
    ['bad char reference', '<p>&#0;</p>', /&#0; refers to a character XML 1.0 does not allow/],
    ['DOCTYPE without a subset', '<!DOCTYPE p><p/>', /DOCTYPE is disallowed/],
    ['a control character', '<p>\u0001</p>', /U\+0001 is not allowed in XML 1.0/],
    ['nesting deeper than 512 levels', '<a>'.repeat(513) + '</a>'.repeat(513), /nested too deeply/],
  ])('refuses %s', (_n, xml, msg) => {
    expect(() => parseXml(xml)).toThrow(XmlSyntaxError);
    expect(() => parseXml(xml)).toThrow(msg);
  });
  it('reports where: line and column', () => {
    try {
      parseXml('<p>\n  <a></b>\n</p>');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(XmlSyntaxError);
      expect([(e as XmlSyntaxError).line, (e as XmlSyntaxError).column]).toEqual([2, 6]);
    }
  });
  it('normalises attribute whitespace before decoding references, as a parser does', () => {
    const el = parseXml('<p a="x&#10;y\tz\r\nw" b=\'&#9;\'/>');
    expect(el.attrs).toEqual([['a', 'x\ny z w'], ['b', '\t']]);
  });
  it('keeps text line ends normalised and CR references', () => {
    expect(textOf(parseXml('<p>a\r\nb&#13;c\rd</p>'))).toBe('a\nb\rc\nd');
  });
  it('re-serialises like XStream: declaration, 2-space indent, <x/>, escaped quotes, no comments', () => {
    const el = parseXml(`<project>\n\n<!-- gone -->\n   <description>it's "q" &amp; &lt;b&gt;</description>\n<builders></builders><n>\n  kept  \n</n></project>`);
    expect(serialiseXml(el, GET_DECLARATION)).toBe(
      `<?xml version="1.1" encoding="UTF-8"?>\n<project>\n  <description>it&apos;s &quot;q&quot; &amp; &lt;b&gt;</description>\n  <builders/>\n  <n>\n  kept  \n</n>\n</project>`,
    );
  });
});

describe('checkGoodName (order and texts)', () => {
  it.each([
    ['', 'No name is specified'],
    [' . ', '\u201c.\u201d is not an allowed name'],
    ['..', '\u201c..\u201d is not an allowed name'],
    ['a\tb?', 'No control code is allowed: a\\u9;b?'],
    ['a?b*', '\u2018?\u2019 is an unsafe character'],
    ['x/y', '\u2018/\u2019 is an unsafe character'],
    ['trailing.', 'A name cannot end with \u2018.\u2019'],
    ['trailing. ', 'A name cannot end with \u2018.\u2019'],
  ])('%j → %s', (name, msg) => {
    expect(checkGoodName(name)).toBe(msg);
  });
  it('accepts the allowed punctuation and non-ASCII', () => {
    for (const n of ['a b', 'a.b', "+-_=,'\"(){}~`", 'Überjob', '日本']) expect(checkGoodName(n)).toBeNull();
    expect(checkGoodName(null)).toBe('No name is specified');
  });
  it('javaTrim strips <= U+0020 only', () => {
    expect(javaTrim('\t a \u00a0')).toBe('a \u00a0');
  });
  it('rawEncode and Latin-1 headers', () => {
    expect(rawEncode("a b/c~ü+!$&'()*,=@_")).toBe("a%20b%2Fc%7E%C3%BC+!$&'()*,=@_");
    expect(latin1Header('name \u2018x\u2019 é')).toBe('name ?x? é');
    expect(latin1Header('\u2018x\u2019', ' ')).toBe(' x ');
  });
});

describe('tree and depth pruning', () => {
  interface Obj { n: string; kids: Obj[] }
  const props: Prop<Obj>[] = [
    { name: 'desc', vis: 1, get: () => 'd' },
    { name: 'kids', vis: 1, get: (o) => o.kids.map((k) => Bean.of('K', props, k)) },
    { name: 'name', vis: 999, get: (o) => o.n },
    { name: 'color', vis: 2, get: () => 'blue' },
  ];
  const root = Bean.of('R', props, { n: 'r', kids: [0, 1, 2, 3].map((i) => ({ n: `k${i}`, kids: [{ n: `g${i}`, kids: [] }] })) });
  it('nests, slices ranges, matches * and ignores unknown names', () => {
    expect(JSON.parse(exportJson(root, 'kids[name,nope]{1,3}', 0))).toEqual({ _class: 'R', kids: [{ _class: 'K', name: 'k1' }, { _class: 'K', name: 'k2' }] });
    expect(JSON.parse(exportJson(root, 'kids{2}', 0))).toEqual({ _class: 'R', kids: [{ _class: 'K' }] });
    expect(JSON.parse(exportJson(root, 'kids[kids[name]]{,1}', 0))).toEqual({ _class: 'R', kids: [{ _class: 'K', kids: [{ _class: 'K', name: 'g0' }] }] });
    expect(Object.keys(JSON.parse(exportJson(root, 'kids[*]{3,}', 0)).kids[0])).toEqual(['_class', 'desc', 'kids', 'name', 'color']);
    expect(JSON.parse(exportJson(root, 'nothing', 0))).toEqual({ _class: 'R' });
  });
  it('depth follows visibility >= level - depth', () => {
    const d0 = JSON.parse(exportJson(root, undefined, 0));
    expect(d0.kids[0]).toEqual({ _class: 'K', name: 'k0', color: 'blue' });
    const d1 = JSON.parse(exportJson(root, undefined, 1));
    expect(d1.kids[0].kids[0]).toEqual({ _class: 'K', name: 'g0', color: 'blue' });
    expect(d1.kids[0].desc).toBe('d');
  });
  it('malformed tree expressions are errors', () => {
    for (const t of ['', 'a[', 'a]', 'a{x}', 'a,,b']) expect(() => parseTree(t)).toThrow(TreeSyntaxError);
  });
});

describe('a root field given twice (Jenkins keeps the last)', () => {
  it('lastChild reads the last; setLeaf sets it and drops the earlier ones, like the save that follows in Jenkins', () => {
    const doc = parseXml('<project><disabled>true</disabled><description>a</description><disabled>false</disabled></project>');
    expect(textOf(lastChild(doc, 'disabled')!)).toBe('false');
    expect(textOf(firstChild(doc, 'disabled')!)).toBe('true');
    setLeaf(doc, 'disabled', 'true');
    expect(doc.children.filter((c) => typeof c !== 'string' && c.name === 'disabled')).toHaveLength(1);
    expect(textOf(lastChild(doc, 'disabled')!)).toBe('true');
    expect(lastChild(doc, 'nothing')).toBeUndefined();
  });
});
