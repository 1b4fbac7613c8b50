/**
 * A plain element tree (names, decoded attributes, decoded text; comments and processing
 * instructions dropped) for code that reads or rewrites a config as data: the stand-in (which
 * stores and re-serialises items like Jenkins), the plan's label check, the svn branch listing.
 *
 * Parsed by the project's one XML scanner (./scan.ts: the one that checks templates, held to saxes
 * by the differential tests), so every parser of src/xml accepts and refuses the same documents.
 * On top of the scanner this tree refuses:
 * - any DOCTYPE (so no external entities and no entity-expansion bombs), with the message of the
 *   XXE-safe parsers Jenkins reads XML with (`disallow-doctype-decl`);
 * - elements nested deeper than 512 levels.
 */
import { decodeAttribute, decodeText } from './escape.js';
import type { XmlVersion } from './escape-context.js';
import { declaredVersion, scanXml } from './scan.js';
import { firstScanError, XmlSyntaxError } from './syntax-error.js';

export { XmlSyntaxError };

export interface XmlElement {
  name: string;
  attrs: Array<[string, string]>;
  children: XmlNode[];
}
export type XmlNode = XmlElement | string;

const MAX_DEPTH = 512;

export const DOCTYPE_REFUSED = 'DOCTYPE is disallowed when the feature "http://apache.org/xml/features/disallow-doctype-decl" set to true.';

/** Stops the scan at the first problem the tree itself finds. */
class TreeStop extends Error {
  constructor(readonly offset: number, readonly reason: string) {
    super(reason);
  }
}

/** Parse a whole document; returns the root element. Throws XmlSyntaxError. */
export function parseXml(input: string): XmlElement {
  const text = input;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let cursor = 0;
  /** Raw text and CDATA pieces of the innermost open element since its last child element. */
  let pending: Array<{ start: number; end: number; cdata: boolean }> = [];
  const rawAttrs: Array<{ el: XmlElement; index: number; raw: string }> = [];

  const textUpTo = (s: number): void => {
    if (stack.length > 0 && s > cursor) pending.push({ start: cursor, end: s, cdata: false });
  };
  let version: XmlVersion = '1.0';
  const flush = (): void => {
    if (pending.length === 0) return;
    const top = stack[stack.length - 1]!;
    let t = '';
    for (const p of pending) t += decodeText(text.slice(p.start, p.end), p.cdata, version);
    pending = [];
    if (t === '') return;
    const last = top.children[top.children.length - 1];
    if (typeof last === 'string') top.children[top.children.length - 1] = last + t;
    else top.children.push(t);
  };
  // The version is known before any content: the declaration comes first.
  version = declaredVersion(text);

  let scan;
  try {
    scan = scanXml(text, {
      tokens: false,
      anyEncoding: true,
      listener: {
        startTag(name, start, end, selfClosing, attrSpans) {
          textUpTo(start);
          flush();
          const el: XmlElement = { name, attrs: [], children: [] };
          for (const a of attrSpans) {
            rawAttrs.push({ el, index: el.attrs.length, raw: text.slice(a.valueStart, a.valueEnd) });
            el.attrs.push([a.name, '']);
          }
          const parent = stack[stack.length - 1];
          if (parent) parent.children.push(el);
          else root ??= el;
          if (!selfClosing) {
            stack.push(el);
            if (stack.length > MAX_DEPTH) throw new TreeStop(start, 'elements nested too deeply');
          }
          cursor = end;
        },
        endTag(start, end) {
          textUpTo(start);
          flush();
          stack.pop();
          cursor = end;
        },
        cdata(start, end) {
          textUpTo(start);
          pending.push({ start: start + 9, end: end - 3, cdata: true });
          cursor = end;
        },
        other(start, end) {
          textUpTo(start);
          if (text.startsWith('<!DOCTYPE', start)) throw new TreeStop(start, DOCTYPE_REFUSED);
          cursor = end;
        },
      },
    });
  } catch (e) {
    if (e instanceof TreeStop) throw XmlSyntaxError.at(text, e.offset, e.reason);
    throw e;
  }
  const error = firstScanError(text, scan.errors);
  if (error) throw error;
  if (!root) throw XmlSyntaxError.at(text, text.length, 'no root element');
  // (an entity other than the predefined five needs a DTD, which was refused above: the scanner
  // reported any such reference as undefined)
  for (const a of rawAttrs) a.el.attrs[a.index]![1] = decodeAttribute(a.raw, scan.version);
  return root;
}

export function childElements(el: XmlElement): XmlElement[] {
  return el.children.filter((c): c is XmlElement => typeof c !== 'string');
}
export function firstChild(el: XmlElement, name: string): XmlElement | undefined {
  for (const c of el.children) if (typeof c !== 'string' && c.name === name) return c;
  return undefined;
}
/**
 * The last child of that name: how Jenkins reads a root field given twice (XStream's
 * RobustReflectionConverter writes each occurrence into the field, so the last one stays).
 */
export function lastChild(el: XmlElement, name: string): XmlElement | undefined {
  for (let k = el.children.length - 1; k >= 0; k--) {
    const c = el.children[k]!;
    if (typeof c !== 'string' && c.name === name) return c;
  }
  return undefined;
}
export function textOf(el: XmlElement): string {
  let out = '';
  for (const c of el.children) out += typeof c === 'string' ? c : textOf(c);
  return out;
}
/**
 * Replace (or append) a leaf child's text. `after` lists sibling names to insert after when absent.
 * A field given twice keeps one element, the last (the one Jenkins reads; its next save writes one).
 */
export function setLeaf(el: XmlElement, name: string, value: string, after: string[] = []): void {
  const existing = lastChild(el, name);
  if (existing) {
    existing.children = [value];
    el.children = el.children.filter((c) => typeof c === 'string' || c.name !== name || c === existing);
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
