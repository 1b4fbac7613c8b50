import { decodeWithMap, escapeAttr, escapeCdata, escapeText } from './escape.js';
import { parsePath, selectElements, type ElementPath } from './element-path.js';
import { parsePositioned, XmlSyntaxError, type PositionedXml, type XmlElementNode } from './positions.js';

/** A read-only view of one element, as handed to scripts. */
export interface XmlElementInfo {
  name: string;
  /** Slash path from the root element with 1-based positions, e.g. `/project/builders/hudson.tasks.Shell[2]`. */
  path: string;
  attrs: Record<string, string>;
  /** Decoded text of the element and its descendants. */
  text: string;
  hasChildren: boolean;
  /** The element's original XML text. */
  xml: string;
}

/** Characters every XML version carries literally (no C0/C1 controls but tab and line ends, no lone surrogates). */
const SAFE_INSERT = /^[\t\n\r\u0020-\u007E\u00A0-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u;

export class XmlEditError extends Error {
  override name = 'XmlEditError';
}

interface Splice {
  start: number;
  end: number;
  text: string;
}

/**
 * A Jenkins config.xml that can be queried and edited while everything an edit does not touch
 * stays byte-for-byte as it was (XML declaration, comments, CDATA, entity style, line ends,
 * attribute quoting). Each edit splices the original text and re-parses lazily.
 */
export class XmlConfig {
  readonly original: string;
  private current: string;
  private parsed: PositionedXml | undefined;

  /** Throws XmlSyntaxError when the text is not well-formed. */
  constructor(xml: string) {
    this.original = xml;
    this.current = xml;
    this.parsed = parsePositioned(xml);
  }

  /** The (possibly edited) XML text. */
  get xml(): string {
    return this.current;
  }

  get changed(): boolean {
    return this.current !== this.original;
  }

  /** Name of the root element (`project`, `flow-definition`, `maven2-moduleset`, ...). */
  get rootName(): string {
    return this.doc().root.name;
  }

  private doc(): PositionedXml {
    this.parsed ??= parsePositioned(this.current);
    return this.parsed;
  }

  /**
   * Apply the splices. The result is parsed again (and refused when malformed), except when
   * `structural` is false: the caller replaces whole text contents (between a tag's `>` and the next
   * tag) or whole elements with escaped text of characters every XML version carries, which cannot
   * change the structure; the positions are then found again only if another edit needs them.
   */
  private splice(splices: Splice[], structural = true): number {
    if (splices.length === 0) return 0;
    const sorted = [...splices].sort((a, b) => a.start - b.start || a.end - b.end);
    // Drop splices nested in an earlier one (an element and its descendant both matched).
    const kept: Splice[] = [];
    for (const s of sorted) {
      const last = kept[kept.length - 1];
      if (last && s.start < last.end) {
        if (s.end <= last.end && s.start >= last.start && last.end > last.start) continue;
        throw new XmlEditError('two edits overlap; apply them one at a time');
      }
      kept.push(s);
    }
    let out = '';
    let pos = 0;
    for (const s of kept) {
      out += this.current.slice(pos, s.start) + s.text;
      pos = s.end;
    }
    out += this.current.slice(pos);
    if (!structural && kept.every((k) => SAFE_INSERT.test(k.text))) {
      this.current = out;
      this.parsed = undefined;
      return kept.length;
    }
    let reparsed: PositionedXml;
    try {
      reparsed = parsePositioned(out);
    } catch (err) {
      if (err instanceof XmlSyntaxError) throw new XmlEditError(`the edit would make the XML malformed: ${err.message}`);
      throw err;
    }
    this.current = out;
    this.parsed = reparsed;
    return kept.length;
  }

  private textOf = (el: XmlElementNode): string => {
    const t = this.doc().text;
    let s = '';
    const walk = (e: XmlElementNode): void => {
      // Merge direct text parts and children in document order.
      const parts: Array<{ at: number; f: () => void }> = [];
      for (const p of e.texts) parts.push({ at: p.start, f: () => (s += decodeWithMap(t.slice(p.start, p.end), p.kind === 'cdata').text) });
      for (const c of e.children) parts.push({ at: c.start, f: () => walk(c) });
      parts.sort((a, b) => a.at - b.at);
      for (const p of parts) p.f();
    };
    walk(el);
    return s;
  };

  private select(path: string | ElementPath): { path: ElementPath; elements: XmlElementNode[] } {
    const p = typeof path === 'string' ? parsePath(path) : path;
    return { path: p, elements: selectElements(this.doc().root, p, this.textOf) };
  }

  private info(el: XmlElementNode): XmlElementInfo {
    return {
      name: el.name,
      path: elementPath(el),
      attrs: { ...el.attrs },
      text: this.textOf(el),
      hasChildren: el.children.length > 0,
      xml: this.doc().text.slice(el.start, el.end),
    };
  }

  /** Elements matching the path (an attribute path selects the elements that carry it). */
  query(path: string): XmlElementInfo[] {
    const { path: p, elements } = this.select(path);
    return elements.filter((e) => p.attribute === undefined || e.attrs[p.attribute] !== undefined).map((e) => this.info(e));
  }

  /** Text (or attribute value) of the first match, or undefined. */
  get(path: string): string | undefined {
    return this.getAll(path)[0];
  }

  /** Texts (or attribute values) of all matches. */
  getAll(path: string): string[] {
    const { path: p, elements } = this.select(path);
    if (p.attribute !== undefined) {
      const a = p.attribute;
      return elements.flatMap((e) => (e.attrs[a] !== undefined ? [e.attrs[a]!] : []));
    }
    return elements.map((e) => this.textOf(e));
  }

  /** Without a path: the whole XML text; with one: the text of the first match (like get). */
  text(path?: string): string | undefined {
    return path === undefined ? this.current : this.get(path);
  }

  exists(path: string): boolean {
    return this.query(path).length > 0;
  }

  /** Attributes of the first match, or undefined. */
  attrs(path: string): Record<string, string> | undefined {
    return this.query(path)[0]?.attrs;
  }

  /**
   * Set the text of every matching element (escaped), or an attribute with a `/@name` path.
   * An element with child elements is refused. Returns the number of elements changed.
   */
  set(path: string, value: string): number {
    const { path: p, elements } = this.select(path);
    const t = this.doc().text;
    const splices: Splice[] = [];
    // Attribute edits write a name and quotes: those are parsed again; text edits need not be.
    const structural = p.attribute !== undefined;
    for (const el of elements) {
      if (p.attribute !== undefined) {
        const s = attributeSplice(t, el, p.attribute, value);
        if (s) splices.push(s);
        continue;
      }
      if (el.children.length > 0) throw new XmlEditError(`${elementPath(el)} has child elements; set changes text only (use add/remove)`);
      if (this.textOf(el) === value) continue;
      if (el.selfClosing) {
        const openTag = t.slice(el.start, el.end).replace(/\s*\/>$/, '>');
        splices.push({ start: el.start, end: el.end, text: `${openTag}${escapeText(value)}</${el.name}>` });
      } else if (el.texts.length === 1 && el.texts[0]!.kind === 'cdata' && onlyCdata(t, el)) {
        const c = el.texts[0]!;
        splices.push({ start: c.start, end: c.end, text: escapeCdata(value) });
      } else {
        splices.push({ start: el.openEnd, end: el.closeStart, text: escapeText(value) });
      }
    }
    return splices.length === 0 ? 0 : this.splice(splices, structural);
  }

  /**
   * Replace a literal string or a RegExp in text and CDATA content only (never in tags, attribute
   * values or comments; never across element boundaries: each text node is matched on its own,
   * decoded, and the replaced span re-escaped). With `under`, only text below matching elements.
   * Returns the number of replacements.
   */
  replace(search: string | RegExp, replacement: string, under?: string): number {
    const t = this.doc().text;
    const roots = under !== undefined ? this.select(under).elements : [this.doc().root];
    const parts: Array<{ kind: 'text' | 'cdata'; start: number; end: number }> = [];
    const seen = new Set<number>();
    const collect = (e: XmlElementNode): void => {
      for (const p of e.texts) if (!seen.has(p.start)) (seen.add(p.start), parts.push(p));
      for (const c of e.children) collect(c);
    };
    roots.forEach(collect);
    const splices: Splice[] = [];
    let count = 0;
    for (const part of parts) {
      const raw = t.slice(part.start, part.end);
      const { text, map } = decodeWithMap(raw, part.kind === 'cdata');
      const re =
        typeof search === 'string'
          ? new RegExp(search.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'g')
          : new RegExp(search.source, search.flags.includes('g') ? search.flags : search.flags + 'g');
      for (const m of text.matchAll(re)) {
        if (m[0].length === 0) continue;
        const ds = m.index;
        const de = ds + m[0].length;
        const newText = typeof search === 'string' ? replacement : expandReplacement(replacement, m);
        if (newText === m[0]) continue;
        const rs = map[ds]!;
        let re2 = map[de]!;
        // A match ending inside a multi-unit decoding (entity, CRLF) takes the whole raw unit.
        if (de > 0 && map[de - 1] === re2) re2 = nextRawUnit(map, de - 1, raw.length);
        splices.push({
          start: part.start + rs,
          end: part.start + re2,
          text: part.kind === 'cdata' ? escapeCdata(newText) : escapeText(newText),
        });
        count++;
      }
    }
    if (splices.length) this.splice(splices);
    return count;
  }

  /**
   * Remove every matching element (or the attribute with `/@name`), with the line it stood on
   * when it stood alone. Returns the number removed.
   */
  remove(path: string): number {
    const { path: p, elements } = this.select(path);
    const t = this.doc().text;
    const splices: Splice[] = [];
    for (const el of elements) {
      if (p.attribute !== undefined) {
        const s = attributeRemoval(t, el, p.attribute);
        if (s) splices.push(s);
        continue;
      }
      if (!el.parent) throw new XmlEditError('cannot remove the root element');
      let start = el.start;
      let k = start;
      while (k > 0 && (t[k - 1] === ' ' || t[k - 1] === '\t')) k--;
      if (k > 0 && t[k - 1] === '\n') {
        k--;
        if (k > 0 && t[k - 1] === '\r') k--;
        start = k;
      }
      splices.push({ start, end: el.end, text: '' });
    }
    return splices.length === 0 ? 0 : this.splice(splices);
  }

  /**
   * Append a well-formed XML snippet as the last content of every matching element, on its own
   * line with the indentation of the existing children. Returns the number of elements changed.
   */
  add(path: string, snippet: string): number {
    const { path: p, elements } = this.select(path);
    if (p.attribute !== undefined) throw new XmlEditError('add takes an element path, not an attribute');
    checkSnippet(snippet);
    const doc = this.doc();
    const t = doc.text;
    const eol = doc.eol;
    const body = snippet.trim().replace(/\r?\n/g, eol);
    const splices: Splice[] = [];
    for (const el of elements) {
      const ownIndent = lineIndent(t, el.start);
      const lastChild = el.children[el.children.length - 1];
      const childIndent = lastChild ? lineIndent(t, lastChild.start) : ownIndent + '  ';
      if (el.selfClosing) {
        const openTag = t.slice(el.start, el.end).replace(/\s*\/>$/, '>');
        splices.push({ start: el.start, end: el.end, text: `${openTag}${eol}${childIndent}${body}${eol}${ownIndent}</${el.name}>` });
        continue;
      }
      // Insert before the whitespace that precedes the closing tag.
      let k = el.closeStart;
      while (k > el.openEnd && /\s/.test(t[k - 1]!)) k--;
      const trailing = t.slice(k, el.closeStart);
      if (trailing.includes('\n')) splices.push({ start: k, end: k, text: `${eol}${childIndent}${body}` });
      else splices.push({ start: k, end: el.closeStart, text: `${eol}${childIndent}${body}${eol}${ownIndent}` });
    }
    return splices.length === 0 ? 0 : this.splice(splices);
  }

  /** Replace the whole document text (scripts may return a string); must be well-formed. */
  setXml(xml: string): void {
    this.parsed = parsePositioned(xml);
    this.current = xml;
  }
}

/** `$&`, `$1`..`$99`, `$<name>` and `$$` in a regex replacement, as String.prototype.replace does. */
export function expandReplacement(replacement: string, m: RegExpMatchArray): string {
  return replacement.replace(/\$(\$|&|<([^>]*)>|(\d\d?))/g, (all, what: string, name?: string, num?: string) => {
    if (what === '$') return '$';
    if (what === '&') return m[0];
    if (name !== undefined) return m.groups?.[name] ?? '';
    if (num !== undefined) {
      const n = Number(num);
      if (n >= 1 && n < m.length) return m[n] ?? '';
      if (num.length === 2 && Number(num[0]) >= 1 && Number(num[0]) < m.length) return (m[Number(num[0])] ?? '') + num[1];
    }
    return all;
  });
}

function nextRawUnit(map: number[], i: number, rawLen: number): number {
  const here = map[i]!;
  for (let k = i + 1; k < map.length; k++) if (map[k]! > here) return map[k]!;
  return rawLen;
}

function onlyCdata(t: string, el: XmlElementNode): boolean {
  const c = el.texts[0]!;
  return t.slice(el.openEnd, c.start - 9).trim() === '' && t.slice(c.end + 3, el.closeStart).trim() === '';
}

function lineIndent(t: string, at: number): string {
  let k = at;
  while (k > 0 && (t[k - 1] === ' ' || t[k - 1] === '\t')) k--;
  return t.slice(k, at);
}

const ATTR_RE = /([^\s=/>]+)(\s*=\s*)("([^"]*)"|'([^']*)')/g;

function findAttr(t: string, el: XmlElementNode, name: string): { start: number; end: number; valueStart: number; valueEnd: number; quote: '"' | "'" } | undefined {
  const tag = t.slice(el.start, el.openEnd);
  const nameEnd = 1 + el.name.length;
  ATTR_RE.lastIndex = nameEnd;
  for (let m = ATTR_RE.exec(tag); m; m = ATTR_RE.exec(tag)) {
    if (m[1] !== name) continue;
    const quote = m[3]!.startsWith('"') ? '"' : "'";
    const start = el.start + m.index;
    const valueStart = start + m[1]!.length + m[2]!.length + 1;
    return { start, end: start + m[0].length, valueStart, valueEnd: valueStart + m[3]!.length - 2, quote };
  }
  return undefined;
}

function attributeSplice(t: string, el: XmlElementNode, name: string, value: string): Splice | undefined {
  if (el.attrs[name] === value) return undefined;
  const a = findAttr(t, el, name);
  if (a) return { start: a.valueStart, end: a.valueEnd, text: escapeAttr(value, a.quote) };
  // New attribute: after the last attribute (or the name), before `>` or `/>`.
  let k = el.selfClosing ? t.lastIndexOf('/', el.openEnd - 1) : el.openEnd - 1;
  while (/\s/.test(t[k - 1]!)) k--;
  return { start: k, end: k, text: ` ${name}="${escapeAttr(value, '"')}"` };
}

function attributeRemoval(t: string, el: XmlElementNode, name: string): Splice | undefined {
  const a = findAttr(t, el, name);
  if (!a) return undefined;
  let s = a.start;
  while (/\s/.test(t[s - 1]!)) s--;
  return { start: s, end: a.end, text: '' };
}

/**
 * Why a snippet to add is not well-formed XML, in the snippet's own terms (line:column inside the
 * snippet; nothing about the wrapper it is parsed in); undefined when it is fine. The snippet may
 * hold several elements and text.
 */
export function snippetProblem(snippet: string): string | undefined {
  if (snippet.trim() === '') return 'the snippet to add is empty';
  const WRAP = 'jobsmith-snippet';
  try {
    parsePositioned(`<${WRAP}>\n${snippet}\n</${WRAP}>`);
    return undefined;
  } catch (err) {
    if (!(err instanceof XmlSyntaxError)) throw err;
    // Line 1 is the wrapper's start tag: the snippet starts on line 2.
    const lines = snippet.split('\n').length;
    const at = (line: number, column: number): string => (line - 1 > lines ? 'the end' : `${Math.max(1, line - 1)}:${column}`);
    const unclosed = new RegExp(`^close tag </${WRAP}> does not match <([^>]+)> opened at (\\d+):(\\d+)`).exec(err.message);
    if (unclosed) return `the snippet is not well-formed XML: <${unclosed[1]}> (at ${at(Number(unclosed[2]), Number(unclosed[3]))}) is never closed`;
    const stray = new RegExp(`^close tag </([^>]+)> does not match <${WRAP}>`).exec(err.message);
    if (stray) return `the snippet is not well-formed XML: </${stray[1]}> at ${at(err.line, err.column)} closes no element`;
    const message = err.message.replace(/opened at (\d+):(\d+)/g, (_m, l: string, c: string) => `opened at ${at(Number(l), Number(c))}`).split(WRAP).join('snippet');
    return `the snippet is not well-formed XML: ${message} (at ${at(err.line, err.column)})`;
  }
}

function checkSnippet(snippet: string): void {
  const problem = snippetProblem(snippet);
  if (problem !== undefined) throw new XmlEditError(problem);
}

export function elementPath(el: XmlElementNode): string {
  const parts: string[] = [];
  for (let e: XmlElementNode | undefined = el; e; e = e.parent) {
    const siblings = e.parent ? e.parent.children.filter((c) => c.name === e!.name) : [e];
    parts.unshift(siblings.length > 1 ? `${e.name}[${siblings.indexOf(e) + 1}]` : e.name);
  }
  return '/' + parts.join('/');
}
