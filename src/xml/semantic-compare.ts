/**
 * Semantic comparison of config.xml documents: `sync --verify` (drift), `plan --diff`, import's
 * render-back check, restore and undo. Jenkins re-serialises config.xml (XML 1.1 declaration, its own
 * indentation, `<a/>` vs `<a></a>`, entity choices, CDATA written as escaped text, `plugin="x@version"`
 * attributes), so bytes never compare equal. Two configs are the same when their normal forms are:
 *
 * - no declaration, comments or processing instructions;
 * - references and CDATA decoded into text; the text between two elements joined and trimmed
 *   (whitespace-only text goes);
 * - attributes sorted, `plugin` attributes left out;
 * - when the caller says how: the root's description normalised (the plan strips the jobsmith marker
 *   there: src/plan/same-job-config.ts) and some direct children of the root left out (parts Jenkins
 *   rewrites itself, such as a folder's view holder).
 *
 * The normal form is readable XML, one element per line, indented by two spaces: `plan --diff`
 * shows a diff of two normal forms, so it shows real differences only. Text is escaped (`&amp;`,
 * `&lt;`, `&gt;`) and never holds a raw `<`, so every line that starts with `<` is markup and the form
 * is unambiguous; multi-line text keeps its line breaks.
 *
 * Parsed by the project's XML scanner (the one that checks templates; see ./positions.ts).
 */
import { decodeText } from './escape.js';
import { parsePositioned, type XmlElementNode } from './positions.js';
import { declaredVersion } from './scan.js';
import type { XmlVersion } from './escape-context.js';

export interface CompareOptions {
  /** Applied to the decoded text of the root element's `<description>` before comparing. */
  rootDescription?: (text: string) => string;
  /** Direct children of the root element (by name) that are left out of the comparison. */
  ignoreRootChildren?: ReadonlySet<string>;
}

function escapeNormalText(t: string): string {
  return t.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

function escapeNormalAttr(t: string): string {
  return t.replace(/[&<>"\t\n\r]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\t': '&#9;', '\n': '&#10;', '\r': '&#13;' })[c]!);
}

interface Walk {
  text: string;
  version: XmlVersion;
  opts: CompareOptions;
  out: string[];
}

/** The element's content in document order: decoded, joined and trimmed texts between the child elements. */
function content(w: Walk, el: XmlElementNode): Array<string | XmlElementNode> {
  const isRootDescription = el.depth === 1 && el.name === 'description';
  const ignore = el.depth === 0 ? w.opts.ignoreRootChildren : undefined;
  const items: Array<string | XmlElementNode> = [];
  let pending = '';
  const flush = (): void => {
    let t = isRootDescription && w.opts.rootDescription ? w.opts.rootDescription(pending) : pending;
    t = t.trim();
    if (t !== '') items.push(t);
    pending = '';
  };
  // Texts and children in document order (both are sorted by position already).
  let c = 0;
  const child = (): void => {
    const ch = el.children[c++]!;
    if (ignore?.has(ch.name)) return; // (the texts around it join, as if it were not there)
    flush();
    items.push(ch);
  };
  for (const part of el.texts) {
    while (c < el.children.length && el.children[c]!.start < part.start) child();
    pending += decodeText(w.text.slice(part.start, part.end), part.kind === 'cdata', w.version);
  }
  while (c < el.children.length) child();
  flush();
  return items;
}

function write(w: Walk, el: XmlElementNode, indent: string): void {
  const names = Object.keys(el.attrs)
    .filter((k) => k !== 'plugin')
    .sort();
  let open = `${indent}<${el.name}`;
  for (const k of names) open += ` ${k}="${escapeNormalAttr(el.attrs[k]!)}"`;
  const items = content(w, el);
  if (items.length === 0) {
    w.out.push(`${open}/>`);
    return;
  }
  if (items.length === 1 && typeof items[0] === 'string') {
    w.out.push(`${open}>${escapeNormalText(items[0])}</${el.name}>`);
    return;
  }
  w.out.push(`${open}>`);
  const inner = indent + '  ';
  for (const it of items) {
    if (typeof it === 'string') w.out.push(inner + escapeNormalText(it));
    else write(w, it, inner);
  }
  w.out.push(`${indent}</${el.name}>`);
}

/** The normal form of a config.xml (readable, one element per line); throws XmlSyntaxError when the XML is malformed. */
export function normalConfig(xml: string, opts: CompareOptions = {}): string {
  const doc = parsePositioned(xml);
  const w: Walk = { text: doc.text, version: declaredVersion(doc.text), opts, out: [] };
  write(w, doc.root, '');
  return w.out.join('\n') + '\n';
}

/** The normal form, under its older name (equal strings ⇔ same config). */
export const canonicalConfig = normalConfig;

export function sameConfig(a: string, b: string, opts: CompareOptions = {}): boolean {
  try {
    return normalConfig(a, opts) === normalConfig(b, opts);
  } catch {
    return false;
  }
}
