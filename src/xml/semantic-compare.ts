/**
 * Semantic comparison of config.xml documents: `sync --verify` (drift), `plan --diff`, import's
 * render-back check, restore and undo. Jenkins re-serialises config.xml (XML 1.1 declaration, its own
 * indentation, `<a/>` vs `<a></a>`, entity choices, CDATA written as escaped text, `plugin="x@version"`
 * attributes), so bytes never compare equal. Two configs are the same when their normal forms are:
 *
 * - no declaration, comments or processing instructions;
 * - references and CDATA decoded into text; the text of a leaf element (one without child elements)
 *   kept exactly as it is (XStream stores a String field byte for byte: `" prod"` is another value
 *   than `"prod"`), except that whitespace-only leaf text holding a line break is indentation
 *   (`<builders>\n  </builders>` is an empty list: Jenkins writes `<builders/>`); in an element with
 *   child elements, each text run between them trimmed and whitespace-only runs dropped. Whitespace is
 *   XML's only (space, tab, LF, CR): a no-break space, U+3000 or U+FEFF is text;
 * - U+0085 (NEL) and U+2028 (LINE SEPARATOR) read as a line feed in text (a space in an attribute
 *   value), in either XML version: Jenkins stores a config as XML 1.1 with them written raw, and reads them back as
 *   line ends (XML 1.1, section 2.11), so that is the value a job holds after Jenkins' next load;
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
 * Written straight from the project's XML scanner's events (./scan.ts: the one that checks
 * templates), without building a tree: `--verify` compares thousands of configs.
 */
import { decodeAttribute, decodeText } from './escape.js';
import { declaredVersion, scanXml } from './scan.js';
import { firstScanError, XmlSyntaxError } from './syntax-error.js';

export interface CompareOptions {
  /** Applied to the decoded text of the root element's `<description>` before comparing. */
  rootDescription?: (text: string) => string;
  /** Direct children of the root element (by name) that are left out of the comparison. */
  ignoreRootChildren?: ReadonlySet<string>;
  /**
   * The root's direct children compared as a set, not a sequence (sorted by element name, same
   * names kept in their order). An item's or a view's config is one object whose fields are the
   * root's children: XStream writes them in its own field order (superclass first), whatever order
   * was submitted, so their order carries no meaning (`--verify`, `plan --diff`).
   */
  unorderedRootChildren?: boolean;
}

/** XML's whitespace (space, tab, LF, CR): no other Unicode space. */
const XML_SPACE_ONLY = /^[ \t\n\r]*$/;
function trimXmlSpace(t: string): string {
  let s = 0;
  let e = t.length;
  while (s < e && isXmlSpace(t.charCodeAt(s))) s++;
  while (e > s && isXmlSpace(t.charCodeAt(e - 1))) e--;
  return s === 0 && e === t.length ? t : t.slice(s, e);
}
function isXmlSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}
/** NEL and LINE SEPARATOR as the line ends Jenkins reads them as (see the head of this file). */
const XML11_LINE_ENDS = /\r?\u0085|\u2028/g;
function asLineEnds(t: string): string {
  return t.indexOf('\u0085') >= 0 || t.indexOf('\u2028') >= 0 ? t.replace(XML11_LINE_ENDS, '\n') : t;
}

const TEXT_SPECIAL = /[&<>]/;
function escapeNormalText(t: string): string {
  return TEXT_SPECIAL.test(t) ? t.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;')) : t;
}

const ATTR_SPECIAL = /[&<>"\t\n\r]/;
function escapeNormalAttr(t: string): string {
  if (!ATTR_SPECIAL.test(t)) return t;
  return t.replace(/[&<>"\t\n\r]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\t': '&#9;', '\n': '&#10;', '\r': '&#13;' })[c]!);
}

interface Frame {
  name: string;
  depth: number;
  /** Index of the element's line in the output (rewritten when the element closes). */
  line: number;
  open: string;
  /** Items written below it so far (texts and child elements), and whether the last one is a text. */
  items: number;
  lastText: boolean;
  pending: string;
  rootDescription: boolean;
}

/** An attribute's decoded value (most need no decoding: no reference, no whitespace but spaces). */
function attributeValue(raw: string, version: '1.0' | '1.1'): string {
  return /[&\t\n\r\u0085\u2028]/.test(raw) ? decodeAttribute(raw, version).replace(/[\u0085\u2028]/g, ' ') : raw;
}

const INDENTS: string[] = [''];
function indentOf(depth: number): string {
  while (INDENTS.length <= depth) INDENTS.push(INDENTS[INDENTS.length - 1] + '  ');
  return INDENTS[depth]!;
}

/** The normal form of a config.xml (readable, one element per line); throws XmlSyntaxError when the XML is malformed. */
export function normalConfig(xml: string, opts: CompareOptions = {}): string {
  const version = declaredVersion(xml);
  const out: string[] = [];
  const stack: Frame[] = [];
  let cursor = 0;
  /** Depth of the ignored root child being skipped (0: none). */
  let skipping = 0;
  const textUpTo = (s: number): void => {
    const top = stack[stack.length - 1];
    if (top && skipping === 0 && s > cursor) top.pending += decodeText(xml.slice(cursor, s), false, version);
  };
  /** Write the element's pending text; `leaf`: the element has no child elements (its text is a value). */
  const flush = (f: Frame, leaf: boolean): void => {
    let t = f.rootDescription && opts.rootDescription ? opts.rootDescription(f.pending) : f.pending;
    f.pending = '';
    if (t === '') return;
    t = asLineEnds(t);
    if (!leaf) t = trimXmlSpace(t);
    else if (XML_SPACE_ONLY.test(t) && /[\n\r]/.test(t)) return;
    if (t === '') return;
    out.push(indentOf(f.depth + 1) + escapeNormalText(t));
    f.items++;
    f.lastText = true;
  };
  const close = (f: Frame): void => {
    flush(f, f.items === 0);
    const indent = indentOf(f.depth);
    if (f.items === 0) out[f.line] = `${indent}${f.open}/>`;
    else if (f.items === 1 && f.lastText) out[f.line] = `${indent}${f.open}>${out.pop()!.slice(indent.length + 2)}</${f.name}>`;
    else {
      out[f.line] = `${indent}${f.open}>`;
      out.push(`${indent}</${f.name}>`);
    }
  };
  const scan = scanXml(xml, {
    tokens: false,
    anyEncoding: true,
    listener: {
      startTag(name, start, end, selfClosing, attrSpans) {
        textUpTo(start);
        cursor = end;
        if (skipping > 0) {
          if (!selfClosing) skipping++;
          return;
        }
        const parent = stack[stack.length - 1];
        const depth = stack.length;
        if (parent && depth === 1 && opts.ignoreRootChildren?.has(name)) {
          if (!selfClosing) skipping = 1;
          return;
        }
        if (parent) {
          flush(parent, false);
          parent.items++;
          parent.lastText = false;
        }
        let open = `<${name}`;
        if (attrSpans.length > 0) {
          const attrs = attrSpans.filter((a) => a.name !== 'plugin').map((a) => [a.name, attributeValue(xml.slice(a.valueStart, a.valueEnd), version)] as const);
          attrs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
          for (const [k, v] of attrs) open += ` ${k}="${escapeNormalAttr(v)}"`;
        }
        const isRootDescription = depth === 1 && name === 'description';
        const f: Frame = { name, depth, line: out.length, open, items: 0, lastText: false, pending: '', rootDescription: isRootDescription };
        out.push('');
        if (selfClosing) close(f);
        else stack.push(f);
      },
      endTag(start, end) {
        textUpTo(start);
        cursor = end;
        if (skipping > 0) {
          skipping--;
          return;
        }
        const f = stack.pop();
        if (f) close(f);
      },
      cdata(start, end) {
        textUpTo(start);
        cursor = end;
        const top = stack[stack.length - 1];
        if (top && skipping === 0) top.pending += decodeText(xml.slice(start + 9, end - 3), true, version);
      },
      other(start, end) {
        textUpTo(start);
        cursor = end;
      },
    },
  });
  const error = firstScanError(xml, scan.errors);
  if (error) throw error;
  if (out.length === 0 || stack.length > 0) throw XmlSyntaxError.at(xml, xml.length, 'no root element');
  if (opts.unorderedRootChildren) sortRootChildren(out);
  return out.join('\n') + '\n';
}

/**
 * Sort the root's children blocks in a normal form (lines) by element name, stably. A block starts
 * at a line indented by exactly two spaces; text directly in the root stays first.
 */
function sortRootChildren(out: string[]): void {
  if (out.length < 3 || !out[out.length - 1]!.startsWith('</')) return;
  const blocks: Array<{ key: string; lines: string[] }> = [];
  for (let i = 1; i < out.length - 1; i++) {
    const line = out[i]!;
    const starts = line.startsWith('  ') && !line.startsWith('   ') && !line.startsWith('  </');
    if (starts || blocks.length === 0) {
      const m = /^  <([^\s/>]+)/.exec(line);
      blocks.push({ key: m ? m[1]! : '', lines: [line] });
    } else blocks[blocks.length - 1]!.lines.push(line);
  }
  const sorted = blocks.map((b, i) => ({ ...b, i })).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.i - b.i));
  out.splice(1, out.length - 2, ...sorted.flatMap((b) => b.lines));
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
