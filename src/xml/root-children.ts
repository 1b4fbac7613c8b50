/**
 * Direct children of a document's root element, by name: the root's name, and carrying children
 * from one document into another (the parts Jenkins owns in an item's config, such as a folder's
 * views, taken from the config Jenkins holds into the config about to be pushed, so that the push
 * keeps them). Every other byte of the target stays as it was.
 */
import { parsePositioned, type XmlElementNode } from './positions.js';
import { scanXml } from './scan.js';

/** The root element's name, or undefined when there is none. */
export function rootElementName(xml: string): string | undefined {
  return scanXml(xml, { tokens: false, anyEncoding: true }).root;
}

/**
 * `target` with its root children named in `names` replaced by those of `source` (all of them, in
 * source order; the target's own are dropped). They go where the target's first such child was, or
 * before the root's end tag. Throws XmlSyntaxError when either document is not well-formed.
 */
export function carryRootChildren(target: string, source: string, names: ReadonlySet<string>): string {
  const t = parsePositioned(target);
  const s = parsePositioned(source);
  const carried = s.root.children.filter((c) => names.has(c.name)).map((c) => source.slice(c.start, c.end));
  const dropped = t.root.children.filter((c) => names.has(c.name));
  if (carried.length === 0 && dropped.length === 0) return target;
  const indent = indentOf(target, t.root.children[0]);
  const block = carried.map((c, i) => (i === 0 ? c : `${t.eol}${indent}${c}`)).join('');
  if (t.root.selfClosing) {
    const open = target.slice(t.root.start, t.root.end - 2).replace(/[ \t\r\n]*$/, '');
    return `${target.slice(0, t.root.start)}${open}>${block}</${t.root.name}>${target.slice(t.root.end)}`;
  }
  // cut the dropped ones (with the whitespace before each), then insert the block at the first cut or before the end tag
  let out = '';
  let cursor = 0;
  let insertAt: number | undefined;
  for (const d of dropped) {
    const from = leadingSpaceStart(target, d.start, cursor);
    out += target.slice(cursor, from);
    if (insertAt === undefined) insertAt = out.length;
    cursor = d.end;
  }
  out += target.slice(cursor);
  if (carried.length === 0) return out;
  if (insertAt !== undefined) return out.slice(0, insertAt) + `${t.eol}${indent}` + block + out.slice(insertAt);
  // before the root's end tag (its offset moved by what was cut: nothing was, here)
  const endTag = t.root.closeStart;
  const before = leadingSpaceStart(target, endTag, 0);
  return target.slice(0, before) + `${t.eol}${indent}${block}` + target.slice(before);
}

function indentOf(xml: string, first: XmlElementNode | undefined): string {
  if (!first) return '  ';
  const lineStart = xml.lastIndexOf('\n', first.start - 1) + 1;
  const pad = xml.slice(lineStart, first.start);
  return /^[ \t]*$/.test(pad) ? pad : '';
}

/** Start of the whitespace run that ends at `at` (not before `floor`). */
function leadingSpaceStart(xml: string, at: number, floor: number): number {
  let i = at;
  while (i > floor && /[ \t\r\n]/.test(xml[i - 1]!)) i--;
  return i;
}
