/**
 * A minimal, strict and safe XML parser for the stand-in: elements, attributes, text, CDATA,
 * comments, processing instructions, the five predefined entities and character references.
 * Any DOCTYPE is refused (so no external entities and no entity-expansion bombs), like Jenkins'
 * XXE-safe transform which disallows doctype declarations.
 */
export interface XmlElement {
  name: string;
  attrs: Array<[string, string]>;
  children: XmlNode[];
}
export type XmlNode = XmlElement | string;

export class XmlSyntaxError extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
    this.name = 'XmlSyntaxError';
  }
}

function isNameStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 58 || c >= 0xc0;
}
function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 48 && c <= 57) || c === 45 || c === 46 || c === 0xb7;
}
const MAX_DEPTH = 512;

function decodeEntities(raw: string, offset: number): string {
  if (raw.indexOf('&') < 0) return raw;
  return raw.replace(/&([^;&\s<]*)(;?)/g, (_m, ent: string, semi: string) => {
    if (semi !== ';') throw new XmlSyntaxError(`unterminated entity reference '&${ent}'`, offset);
    switch (ent) {
      case 'lt': return '<';
      case 'gt': return '>';
      case 'amp': return '&';
      case 'quot': return '"';
      case 'apos': return "'";
    }
    let code = NaN;
    if (/^#x[0-9a-fA-F]+$/.test(ent)) code = parseInt(ent.slice(2), 16);
    else if (/^#[0-9]+$/.test(ent)) code = parseInt(ent.slice(1), 10);
    else throw new XmlSyntaxError(`undeclared entity '&${ent};'`, offset);
    if (!(code > 0 && code <= 0x10ffff) || (code >= 0xd800 && code <= 0xdfff)) {
      throw new XmlSyntaxError(`invalid character reference '&${ent};'`, offset);
    }
    return String.fromCodePoint(code);
  });
}

/** Parse a whole document; returns the root element. Throws XmlSyntaxError. */
export function parseXml(input: string): XmlElement {
  let s = input;
  if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
  let i = 0;
  const n = s.length;
  const fail = (msg: string): never => {
    throw new XmlSyntaxError(msg, i);
  };

  const readName = (): string => {
    const start = i;
    if (i >= n || !isNameStart(s.charCodeAt(i))) fail('expected a name');
    i++;
    while (i < n && isNameChar(s.charCodeAt(i))) i++;
    return s.slice(start, i);
  };
  const skipWs = (): void => {
    for (let c = s.charCodeAt(i); c === 32 || c === 10 || c === 9 || c === 13; c = s.charCodeAt(++i));
  };
  // prolog / misc: declaration, comments, PIs, whitespace. DOCTYPE refused.
  const skipMisc = (allowDecl: boolean): void => {
    for (;;) {
      skipWs();
      if (s.startsWith('<?', i)) {
        const end = s.indexOf('?>', i + 2);
        if (end < 0) fail('unterminated processing instruction');
        const target = s.slice(i + 2, end).split(/\s/, 1)[0] ?? '';
        if (target.toLowerCase() === 'xml' && (!allowDecl || i !== 0)) {
          if (!(allowDecl && s.slice(0, i).trim() === '')) fail('XML declaration allowed only at the start of the document');
        }
        i = end + 2;
        allowDecl = false;
      } else if (s.startsWith('<!--', i)) {
        const end = s.indexOf('-->', i + 4);
        if (end < 0) fail('unterminated comment');
        i = end + 3;
      } else if (s.startsWith('<!DOCTYPE', i) || s.startsWith('<!doctype', i)) {
        fail('DOCTYPE is disallowed when the feature "http://apache.org/xml/features/disallow-doctype-decl" set to true.');
      } else {
        return;
      }
      allowDecl = false;
    }
  };

  const parseAttrs = (el: XmlElement): boolean => {
    // returns true if self-closing
    for (;;) {
      const c0 = s.charCodeAt(i);
      const hadWs = c0 === 32 || c0 === 10 || c0 === 9 || c0 === 13;
      if (hadWs) skipWs();
      const c = s.charCodeAt(i);
      if (c === 47) {
        if (s[i + 1] !== '>') fail('expected />');
        i += 2;
        return true;
      }
      if (c === 62) {
        i++;
        return false;
      }
      if (i >= n) fail('unexpected end of document in a start tag');
      if (!hadWs) fail('whitespace required between attributes');
      const an = readName();
      skipWs();
      if (s[i] !== '=') fail(`attribute '${an}' needs a value`);
      i++;
      skipWs();
      const q = s[i];
      if (q !== '"' && q !== "'") fail('attribute value must be quoted');
      const end = s.indexOf(q!, i + 1);
      if (end < 0) fail('unterminated attribute value');
      const rawVal = s.slice(i + 1, end);
      if (rawVal.includes('<')) fail("'<' not allowed in an attribute value");
      if (el.attrs.some(([k]) => k === an)) fail(`duplicate attribute '${an}'`);
      el.attrs.push([an, decodeEntities(rawVal, i).replace(/[\t\n\r]/g, ' ')]);
      i = end + 1;
    }
  };

  skipMisc(true);
  if (s[i] !== '<') fail(i >= n ? 'premature end of file: no root element' : 'content is not allowed in prolog');
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let text = '';
  const flushText = (): void => {
    if (text === '') return;
    const top = stack[stack.length - 1]!;
    const last = top.children[top.children.length - 1];
    if (typeof last === 'string') top.children[top.children.length - 1] = last + text;
    else top.children.push(text);
    text = '';
  };
  // root start tag
  for (;;) {
    if (stack.length === 0 && root) break;
    if (i >= n) fail('XML document structures must start and end within the same entity');
    if (s.charCodeAt(i) === 60) {
      const c1 = s.charCodeAt(i + 1);
      // the common cases first: a start tag or an end tag
      if (c1 !== 33 && c1 !== 63 && c1 !== 47) {
        flushText();
        i++;
        const el: XmlElement = { name: readName(), attrs: [], children: [] };
        const selfClosing = parseAttrs(el);
        if (stack.length > 0) stack[stack.length - 1]!.children.push(el);
        else root = el;
        if (!selfClosing) {
          stack.push(el);
          if (stack.length > MAX_DEPTH) fail('elements nested too deeply');
        }
        continue;
      }
      if (s.startsWith('<!--', i)) {
        const end = s.indexOf('-->', i + 4);
        if (end < 0) fail('unterminated comment');
        i = end + 3;
        continue;
      }
      if (s.startsWith('<![CDATA[', i)) {
        const end = s.indexOf(']]>', i + 9);
        if (end < 0) fail('unterminated CDATA section');
        text += s.slice(i + 9, end);
        i = end + 3;
        continue;
      }
      if (s.startsWith('<?', i)) {
        const end = s.indexOf('?>', i + 2);
        if (end < 0) fail('unterminated processing instruction');
        i = end + 2;
        continue;
      }
      if (s.startsWith('<!', i)) fail('markup declarations are not allowed here');
      if (c1 === 47) {
        flushText();
        i += 2;
        const nm = readName();
        skipWs();
        if (s[i] !== '>') fail('expected >');
        i++;
        const top = stack.pop();
        if (!top || top.name !== nm) fail(`The element type "${top?.name ?? ''}" must be terminated by the matching end-tag "</${top?.name ?? ''}>".`);
        continue;
      }
      fail('unreachable'); // every other '<' form was handled above
    }
    const next = s.indexOf('<', i);
    const end = next < 0 ? n : next;
    const chunk = s.slice(i, end);
    if (chunk.includes(']]>')) fail("']]>' is not allowed in content");
    text += decodeEntities(chunk, i);
    i = end;
  }
  skipMisc(false);
  if (i < n) fail('content is not allowed after the root element');
  return root!;
}

export function childElements(el: XmlElement): XmlElement[] {
  return el.children.filter((c): c is XmlElement => typeof c !== 'string');
}
export function firstChild(el: XmlElement, name: string): XmlElement | undefined {
  for (const c of el.children) if (typeof c !== 'string' && c.name === name) return c;
  return undefined;
}
export function textOf(el: XmlElement): string {
  let out = '';
  for (const c of el.children) out += typeof c === 'string' ? c : textOf(c);
  return out;
}
/** Replace (or append) a leaf child's text. `after` lists sibling names to insert after when absent. */
export function setLeaf(el: XmlElement, name: string, value: string, after: string[] = []): void {
  const existing = firstChild(el, name);
  if (existing) {
    existing.children = [value];
    return;
  }
  const leaf: XmlElement = { name, attrs: [], children: [value] };
  let pos = -1;
  for (const a of after) {
    const idx = el.children.findIndex((c) => typeof c !== 'string' && c.name === a);
    if (idx > pos) pos = idx;
  }
  if (pos >= 0) el.children.splice(pos + 1, 0, leaf);
  else el.children.push(leaf);
}
