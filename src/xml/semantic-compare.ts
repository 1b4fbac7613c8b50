/**
 * Semantic comparison of config.xml documents for `--verify` (drift detection), import's render-back
 * check, restore and undo. Jenkins re-serialises config.xml (XML 1.1 declaration, its own
 * indentation, `<a/>` vs `<a></a>`, entity choices, CDATA written as escaped text, `plugin="x@version"`
 * attributes), so bytes never compare equal. Two configs are the same when their element trees match
 * after: dropping the declaration, comments and processing instructions; decoding references and
 * CDATA into text; joining the text between two elements and trimming it (whitespace-only text goes);
 * sorting attributes; ignoring `plugin` attributes; and, when the caller says how, normalising the
 * root's description (the plan strips the jobsmith marker there: src/plan/same-job-config.ts).
 *
 * Parsed by the project's XML scanner (the one that checks templates; see ./positions.ts).
 */
import { decodeWithMap } from './escape.js';
import { parsePositioned, type XmlElementNode } from './positions.js';

export interface CompareOptions {
  /** Applied to the decoded text of the root element's `<description>` before comparing. */
  rootDescription?: (text: string) => string;
}

function canon(text: string, el: XmlElementNode, out: string[], opts: CompareOptions): void {
  const names = Object.keys(el.attrs)
    .filter((k) => k !== 'plugin')
    .sort();
  out.push('<', el.name);
  for (const k of names) out.push(' ', k, '=', JSON.stringify(el.attrs[k]));
  out.push('>');
  const isRootDescription = el.depth === 1 && el.name === 'description';
  let pending = '';
  const flush = (): void => {
    let t = isRootDescription && opts.rootDescription ? opts.rootDescription(pending) : pending;
    t = t.trim();
    if (t !== '') out.push(JSON.stringify(t));
    pending = '';
  };
  // Texts and children in document order (both are sorted by position already).
  let c = 0;
  for (const part of el.texts) {
    while (c < el.children.length && el.children[c]!.start < part.start) {
      flush();
      canon(text, el.children[c++]!, out, opts);
    }
    pending += decodeWithMap(text.slice(part.start, part.end), part.kind === 'cdata').text;
  }
  while (c < el.children.length) {
    flush();
    canon(text, el.children[c++]!, out, opts);
  }
  flush();
  out.push('</>');
}

/** A canonical string for a config.xml; throws when the XML is malformed. */
export function canonicalConfig(xml: string, opts: CompareOptions = {}): string {
  const doc = parsePositioned(xml);
  const out: string[] = [];
  canon(doc.text, doc.root, out, opts);
  return out.join('');
}

export function sameConfig(a: string, b: string, opts: CompareOptions = {}): boolean {
  try {
    return canonicalConfig(a, opts) === canonicalConfig(b, opts);
  } catch {
    return false;
  }
}
