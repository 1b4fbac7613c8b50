/**
 * One pass over a config.xml template that
 *  - checks it is well-formed XML (tags, one root, attributes, references, characters per the declared
 *    XML version 1.0/1.1, comments, CDATA, processing instructions, DOCTYPE),
 *  - finds every token (`$A.B`, `${A.B}`) and the XML context it sits in (text, attribute value, CDATA),
 *  - cuts the text into literal parts around the tokens, so rendering is `parts[0] + v0 + parts[1] + ...`
 *    and every byte outside tokens is kept exactly.
 *
 * Tokens are recognised only where a value can be escaped safely: element text, attribute values and
 * CDATA sections. Anywhere else (comments, tag and attribute names, processing instructions, DOCTYPE,
 * outside the root element) a `$A.B` is left untouched.
 *
 * `$$` before a token-shaped name writes a literal `$` (so `$${ANT.PROPERTY}` renders `${ANT.PROPERTY}`);
 * a `$$` anywhere else is left as it is (shell `$$`).
 *
 * With `markers`, ejs output placeholders (`U+FDD0 <index> U+FDD1`) are treated like tokens, so ejs output
 * gets the same context-aware escaping (and comments are a possible context for them).
 */
import { isLegalCharRef, type TokenContext, type XmlVersion } from './escape-context.js';

export interface Slot {
  /** Token name without `$`/braces; for an ejs marker, `#<index>`. */
  name: string;
  /** Offset of `$` (or of the marker) in the scanned text. */
  offset: number;
  end: number;
  context: TokenContext;
  braced: boolean;
  /** ejs output index, when the slot is an ejs marker. */
  marker?: number;
}

export interface ScanError {
  offset: number;
  code: string;
  message: string;
}

export interface ScanResult {
  /** Literal text around the slots: `parts.length === slots.length + 1`. */
  parts: string[];
  slots: Slot[];
  version: XmlVersion;
  declaration: boolean;
  /** Name of the root element (undefined when there is none). */
  root?: string;
  /** Offset of `<!DOCTYPE`, when the document has one (templates refuse it; see src/load/parsed-template.ts). */
  doctype?: number;
  /** Well-formedness errors (scanning stops at the first structural one). */
  errors: ScanError[];
}

/**
 * Structure events, for callers that need element positions (the byte-preserving editor builds its
 * element tree from them). Offsets are UTF-16 indexes into the scanned text; spans are [start, end).
 */
export interface ScanListener {
  /** A start tag `<name ...>` (or `<name .../>`), with each attribute's raw value span (between the quotes). */
  startTag(name: string, start: number, end: number, selfClosing: boolean, attrs: ReadonlyArray<{ name: string; valueStart: number; valueEnd: number }>): void;
  endTag(start: number, end: number): void;
  /** A CDATA section, `<![CDATA[` to `]]>` included. */
  cdata(start: number, end: number): void;
  /** A comment, processing instruction or DOCTYPE. */
  other(start: number, end: number): void;
}

export const TOKEN_NAME_SOURCE = '[A-Z][A-Z0-9_]*(?:\\.[A-Z0-9_]+)+';
export const TOKEN_NAME_RE = new RegExp(`^${TOKEN_NAME_SOURCE}$`);
const TOKEN_AT = new RegExp(`\\$(?:\\{(${TOKEN_NAME_SOURCE})\\}|(${TOKEN_NAME_SOURCE}))`, 'y');
const MARKER_AT = /\uFDD0(\d+)\uFDD1/y;
export const MARKER_OPEN = '\uFDD0';
export const MARKER_CLOSE = '\uFDD1';

const NAME_START =
  ':A-Z_a-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C-\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD\\u{10000}-\\u{EFFFF}';
const NAME_AT = new RegExp(`[${NAME_START}][${NAME_START}\\-.0-9\\u00B7\\u0300-\\u036F\\u203F-\\u2040]*`, 'uy');
const WS_AT = /[ \t\r\n]+/y;
/** XML 1.1 also ends lines with NEL and LINE SEPARATOR (section 2.11): after normalisation they are whitespace. */
const WS_AT_11 = /[ \t\r\n\u0085\u2028]+/y;
const ONLY_WS = /^[ \t\r\n]*$/;
const ONLY_WS_11 = /^[ \t\r\n\u0085\u2028]*$/;
const NOT_WS = /[^ \t\r\n]/;
const NOT_WS_11 = /[^ \t\r\n\u0085\u2028]/;
const REF_AT = new RegExp(`&(?:#([0-9]+)|#x([0-9a-fA-F]+)|([${NAME_START}][${NAME_START}\\-.0-9\\u00B7\\u0300-\\u036F\\u203F-\\u2040]*));`, 'uy');
const PREDEFINED = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);
const DECL_RE = /^<\?xml[ \t\r\n][^]*?\?>/;
/** XMLDecl ::= '<?xml' VersionInfo EncodingDecl? SDDecl? S? '?>' (XML 1.0 section 2.8). */
const STRICT_DECL_RE =
  /^<\?xml[ \t\r\n]+version[ \t\r\n]*=[ \t\r\n]*(?:'[0-9.]+'|"[0-9.]+")(?:[ \t\r\n]+encoding[ \t\r\n]*=[ \t\r\n]*(?:'[A-Za-z][A-Za-z0-9._-]*'|"[A-Za-z][A-Za-z0-9._-]*"))?(?:[ \t\r\n]+standalone[ \t\r\n]*=[ \t\r\n]*(?:'(?:yes|no)'|"(?:yes|no)"))?[ \t\r\n]*\?>$/;

class Stop extends Error {}

/**
 * Characters a version cannot carry (the sets of ./escape-context.ts `invalidCharRegex`), written
 * over UTF-16 units without the `u` flag, which V8 runs several times faster: a surrogate is bad
 * only when it is not half of a pair.
 */
const LONE_SURROGATE = '[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])|(?<![\\uD800-\\uDBFF])[\\uDC00-\\uDFFF]';
const INVALID_CHAR_10 = new RegExp(`[\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\uFFFE\\uFFFF]|${LONE_SURROGATE}`);
const INVALID_CHAR_11 = new RegExp(`[\\u0000\\uFFFE\\uFFFF]|${LONE_SURROGATE}`);

const ATTR_SPECIAL: Record<string, RegExp> = { '"': /["<&$]/g, "'": /['<&$]/g };
const ATTR_SPECIAL_MARKERS: Record<string, RegExp> = { '"': /["<&$\uFDD0]/g, "'": /['<&$\uFDD0]/g };
/** The characters that end or need care in an attribute value quoted with `q` (shared: only `lastIndex` changes). */
function attrSpecialFor(q: '"' | "'", markers: boolean): RegExp {
  return (markers ? ATTR_SPECIAL_MARKERS : ATTR_SPECIAL)[q]!;
}

export function scanXml(text: string, opts: { tokens?: boolean; markers?: boolean; listener?: ScanListener; anyEncoding?: boolean } = {}): ScanResult {
  const tokens = opts.tokens ?? true;
  const listener = opts.listener;
  const markers = opts.markers ?? false;
  const parts: string[] = [];
  const slots: Slot[] = [];
  const errors: ScanError[] = [];
  let version: XmlVersion = '1.0';
  let declaration = false;
  let root: string | undefined;
  let litStart = 0;
  /** Literal text already cut off before litStart (after a `$$` escape). */
  let pending = '';
  let hasDtd = false;
  let doctype: number | undefined;
  const n = text.length;
  let i = 0;

  const fail = (offset: number, code: string, message: string): never => {
    errors.push({ offset, code, message });
    throw new Stop();
  };
  const matchAt = (re: RegExp, at: number): RegExpExecArray | null => {
    re.lastIndex = at;
    return re.exec(text);
  };

  /** At `$` (text, attribute or CDATA): cut a slot if a token starts here; returns the next index. */
  const dollar = (at: number, context: TokenContext): number => {
    if (!tokens) return at + 1;
    if (text.charCodeAt(at + 1) === 36 /* $ */) {
      const m = matchAt(TOKEN_AT, at + 1);
      if (m) {
        // `$$NAME`: drop one `$`, keep the rest literally.
        pending += text.slice(litStart, at);
        litStart = at + 1;
        return at + 1 + m[0].length;
      }
      return at + 2;
    }
    const m = matchAt(TOKEN_AT, at);
    if (!m) return at + 1;
    parts.push(pending + text.slice(litStart, at));
    pending = '';
    const braced = m[1] !== undefined;
    slots.push({ name: (m[1] ?? m[2])!, offset: at, end: at + m[0].length, context, braced });
    litStart = at + m[0].length;
    return litStart;
  };
  const marker = (at: number, context: TokenContext): number => {
    const m = matchAt(MARKER_AT, at);
    if (!m) fail(at, 'xml-invalid-char', 'stray U+FDD0 in ejs output');
    parts.push(pending + text.slice(litStart, at));
    pending = '';
    const index = Number(m![1]);
    slots.push({ name: `#${index}`, offset: at, end: at + m![0].length, context, braced: false, marker: index });
    litStart = at + m![0].length;
    return litStart;
  };
  const reference = (at: number): number => {
    const m = matchAt(REF_AT, at);
    if (!m) fail(at, 'xml-not-well-formed', "'&' must start a reference such as &amp; or &#10; (write &amp; for a literal &)");
    if (m![3] !== undefined) {
      if (!PREDEFINED.has(m![3]) && !hasDtd) fail(at, 'xml-not-well-formed', `undefined entity &${m![3]};`);
    } else {
      const cp = m![1] !== undefined ? parseInt(m![1], 10) : parseInt(m![2]!, 16);
      if (!isLegalCharRef(cp, version)) fail(at, 'xml-not-well-formed', `${m![0]} refers to a character XML ${version} does not allow`);
    }
    return at + m![0].length;
  };
  const name = (at: number, what: string): string => {
    // Fast path: an ASCII name followed by an ASCII character (the usual element and attribute names).
    let k = at;
    let c = text.charCodeAt(k);
    if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 58) {
      for (c = text.charCodeAt(++k); (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 58 || c === 45 || c === 46; c = text.charCodeAt(++k));
      if (c < 0x80 || Number.isNaN(c)) return text.slice(at, k);
    }
    const m = matchAt(NAME_AT, at);
    if (!m) fail(at, 'xml-not-well-formed', `expected ${what}`);
    return m![0];
  };
  /** Whitespace per the declared version (the XML declaration itself only knows the 1.0 set: section 2.11). */
  let wsAt = WS_AT;
  let ws11 = false;
  const skipWs = (at: number): number => {
    // the usual whitespace by char codes; the regex only for XML 1.1's NEL and LINE SEPARATOR
    let k = at;
    for (let c = text.charCodeAt(k); c === 32 || c === 10 || c === 9 || c === 13; c = text.charCodeAt(++k));
    if (!ws11) return k;
    const m = matchAt(wsAt, k);
    return m ? k + m[0].length : k;
  };

  try {
    // Characters the version cannot carry at all (checked after the declaration tells the version).
    if (text.charCodeAt(0) === 0xfeff) i = 1;
    const decl = DECL_RE.exec(text.slice(i, i + 400));
    if (text.startsWith('<?xml', i) && /[ \t\r\n]/.test(text[i + 5] ?? '')) {
      if (!decl) fail(i, 'xml-not-well-formed', 'unterminated XML declaration');
      declaration = true;
      const d = decl![0];
      const v = /version[ \t\r\n]*=[ \t\r\n]*(["'])([^"']*)\1/.exec(d);
      if (!v) fail(i, 'xml-not-well-formed', 'XML declaration without version');
      const strict = STRICT_DECL_RE.exec(d);
      if (!strict) fail(i, 'xml-not-well-formed', `malformed XML declaration (expected <?xml version="1.0" encoding="UTF-8"?>, optionally with standalone="yes|no")`);
      if (v![2] !== '1.0' && v![2] !== '1.1') fail(i, 'xml-not-well-formed', `unsupported XML version "${v![2]}" (1.0 or 1.1)`);
      version = v![2] as XmlVersion;
      const enc = /encoding[ \t\r\n]*=[ \t\r\n]*(["'])([^"']*)\1/.exec(d);
      if (enc && !opts.anyEncoding && !/^utf-?8$/i.test(enc[2]!)) fail(i, 'unsupported-encoding', `encoding "${enc[2]}" is not supported: templates must be UTF-8`);
      i += d.length;
    }
    if (version === '1.1') {
      wsAt = WS_AT_11;
      ws11 = true;
    }
    const onlyWs = version === '1.1' ? ONLY_WS_11 : ONLY_WS;
    const notWs = version === '1.1' ? NOT_WS_11 : NOT_WS;
    const bad = (version === '1.1' ? INVALID_CHAR_11 : INVALID_CHAR_10).exec(text);
    if (bad) {
      const cp = bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
      errors.push({ offset: bad.index, code: 'xml-invalid-char', message: `character U+${cp} is not allowed in XML ${version}` });
    }
    if (version === '1.1') {
      const restricted = /[\u0001-\u0008\u000B\u000C\u000E-\u001F\u007F-\u0084\u0086-\u009F]/g.exec(text);
      if (restricted) {
        const cp = restricted[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
        errors.push({ offset: restricted.index, code: 'xml-invalid-char', message: `character U+${cp} must be written as a reference (&#x${cp};) in XML 1.1` });
      }
    }

    const stack: Array<{ name: string; offset: number }> = [];
    const contentSpecial = markers ? /[<&$\]\uFDD0]/g : tokens ? /[<&$\]]/g : /[<&\]]/g;
    while (i < n) {
      if (stack.length === 0) {
        // Prolog / epilog: only whitespace, comments, PIs (and DOCTYPE before the root).
        const lt = text.indexOf('<', i);
        const end = lt < 0 ? n : lt;
        if (!onlyWs.test(text.slice(i, end))) {
          const off = i + text.slice(i, end).search(notWs);
          fail(off, 'xml-not-well-formed', root === undefined ? 'text before the root element' : 'text after the root element');
        }
        if (lt < 0) break;
        i = lt;
      } else {
        contentSpecial.lastIndex = i;
        const m = contentSpecial.exec(text);
        if (!m) break;
        i = m.index;
        const c = text.charCodeAt(i);
        if (c === 36) {
          i = dollar(i, 'text');
          continue;
        }
        if (c === 38) {
          i = reference(i);
          continue;
        }
        if (c === 93) {
          if (text.startsWith(']]>', i)) fail(i, 'xml-not-well-formed', "']]>' is not allowed in text (write ]]&gt;)");
          i++;
          continue;
        }
        if (c === 0xfdd0) {
          i = marker(i, 'text');
          continue;
        }
      }
      // text[i] === '<': what follows says which markup it is (a start tag unless '!', '?' or '/')
      const next = text.charCodeAt(i + 1);
      const markup = next === 33 /* ! */ || next === 63 /* ? */ || next === 47; /* / */
      if (markup && text.startsWith('<!--', i)) {
        const close = text.indexOf('-->', i + 4);
        if (close < 0) fail(i, 'xml-not-well-formed', 'unterminated comment');
        const dd = text.indexOf('--', i + 4);
        if (dd < close) fail(dd, 'xml-not-well-formed', "'--' is not allowed inside a comment");
        if (markers) {
          for (let k = text.indexOf(MARKER_OPEN, i + 4); k >= 0 && k < close; k = text.indexOf(MARKER_OPEN, k + 1)) marker(k, 'comment');
        }
        listener?.other(i, close + 3);
        i = close + 3;
      } else if (markup && text.startsWith('<![CDATA[', i)) {
        if (stack.length === 0) fail(i, 'xml-not-well-formed', 'CDATA section outside the root element');
        const start = i + 9;
        const close = text.indexOf(']]>', start);
        if (close < 0) fail(i, 'xml-not-well-formed', 'unterminated CDATA section');
        let k = start;
        const special = markers ? /[$\uFDD0]/g : /\$/g;
        while (k < close) {
          special.lastIndex = k;
          const m = special.exec(text);
          if (!m || m.index >= close) break;
          if (text.charCodeAt(m.index) === 36) {
            k = dollar(m.index, 'cdata');
            // A token-shaped name never contains ']]>', so it cannot run past the section end.
          } else k = marker(m.index, 'cdata');
        }
        listener?.cdata(i, close + 3);
        i = close + 3;
      } else if (markup && text.startsWith('<!DOCTYPE', i)) {
        if (stack.length > 0 || root !== undefined || hasDtd) fail(i, 'xml-not-well-formed', 'DOCTYPE is only allowed once, before the root element');
        hasDtd = true;
        doctype = i;
        let k = i + 9;
        let bracket = 0;
        for (; k < n; k++) {
          const ch = text[k];
          if (ch === '"' || ch === "'") {
            const q = text.indexOf(ch, k + 1);
            if (q < 0) break;
            k = q;
          } else if (ch === '[') bracket++;
          else if (ch === ']') bracket--;
          else if (ch === '>' && bracket <= 0) break;
        }
        if (k >= n) fail(i, 'xml-not-well-formed', 'unterminated DOCTYPE');
        listener?.other(i, k + 1);
        i = k + 1;
      } else if (next === 63) {
        const target = name(i + 2, 'a processing instruction target');
        if (target.toLowerCase() === 'xml') fail(i, 'xml-not-well-formed', 'the XML declaration is only allowed at the very start of the file');
        const afterTarget = i + 2 + target.length;
        if (!text.startsWith('?>', afterTarget) && skipWs(afterTarget) === afterTarget) fail(afterTarget, 'xml-not-well-formed', `expected whitespace or '?>' after the processing instruction target ${target}`);
        const close = text.indexOf('?>', i + 2);
        if (close < 0) fail(i, 'xml-not-well-formed', 'unterminated processing instruction');
        listener?.other(i, close + 2);
        i = close + 2;
      } else if (next === 47) {
        const nm = name(i + 2, 'an element name after </');
        let k = skipWs(i + 2 + nm.length);
        if (text[k] !== '>') fail(k, 'xml-not-well-formed', `expected '>' to end </${nm}`);
        const top = stack.pop();
        if (!top) fail(i, 'xml-not-well-formed', `unexpected close tag </${nm}>`);
        if (top!.name !== nm) fail(i, 'xml-not-well-formed', `close tag </${nm}> does not match <${top!.name}> opened at ${lineCol(text, top!.offset)}`);
        listener?.endTag(i, k + 1);
        i = k + 1;
      } else {
        const nm = name(i + 1, "an element name after '<' (write &lt; for a literal <)");
        if (stack.length === 0) {
          if (root !== undefined) fail(i, 'xml-not-well-formed', `a second root element <${nm}> (a document has exactly one)`);
          root = nm;
        }
        let k = i + 1 + nm.length;
        const seen: string[] = [];
        const attrSpans: Array<{ name: string; valueStart: number; valueEnd: number }> | undefined = listener ? [] : undefined;
        let empty = false;
        for (;;) {
          const afterWs = skipWs(k);
          const hadWs = afterWs > k;
          k = afterWs;
          if (k >= n) fail(i, 'xml-not-well-formed', `unterminated start tag <${nm}`);
          if (text[k] === '>') {
            k++;
            break;
          }
          if (text.startsWith('/>', k)) {
            k += 2;
            empty = true;
            break;
          }
          if (!hadWs) fail(k, 'xml-not-well-formed', `expected whitespace, '>' or '/>' in <${nm}>`);
          const an = name(k, `an attribute name or '>' in <${nm}>`);
          if (seen.includes(an)) fail(k, 'xml-not-well-formed', `attribute ${an} given twice in <${nm}>`);
          seen.push(an);
          k = skipWs(k + an.length);
          if (text[k] !== '=') fail(k, 'xml-not-well-formed', `expected '=' after attribute ${an}`);
          k = skipWs(k + 1);
          const q = text[k];
          if (q !== '"' && q !== "'") fail(k, 'xml-not-well-formed', `attribute ${an} value must be quoted`);
          k++;
          const valueStart = k;
          const attrSpecial = attrSpecialFor(q as '"' | "'", markers);
          for (;;) {
            attrSpecial.lastIndex = k;
            const m = attrSpecial.exec(text);
            if (!m) fail(k, 'xml-not-well-formed', `unterminated value of attribute ${an}`);
            k = m!.index;
            const ch = text[k];
            if (ch === q) {
              attrSpans?.push({ name: an, valueStart, valueEnd: k });
              k++;
              break;
            }
            if (ch === '<') fail(k, 'xml-not-well-formed', `'<' is not allowed in the value of attribute ${an} (write &lt;)`);
            else if (ch === '&') k = reference(k);
            else if (ch === '$') k = dollar(k, 'attribute');
            else k = marker(k, 'attribute');
          }
        }
        if (!empty) stack.push({ name: nm, offset: i });
        listener?.startTag(nm, i, k, empty, attrSpans!);
        i = k;
      }
    }
    if (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      fail(n, 'xml-not-well-formed', `the file ends inside <${top.name}> opened at ${lineCol(text, top.offset)} (unclosed element)`);
    }
    if (root === undefined) fail(n, 'xml-not-well-formed', 'no root element');
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
  }
  parts.push(pending + text.slice(litStart));
  return { parts, slots, version, declaration, ...(root !== undefined ? { root } : {}), ...(doctype !== undefined ? { doctype } : {}), errors };
}

/** 1-based line and column (in UTF-16 code units) of an offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let k = text.indexOf('\n'); k >= 0 && k < offset; k = text.indexOf('\n', k + 1)) {
    line++;
    lineStart = k + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/** Map many offsets of one text to line/column fast. */
export function makeLocator(text: string): (offset: number) => { line: number; column: number } {
  const starts = [0];
  for (let k = text.indexOf('\n'); k >= 0; k = text.indexOf('\n', k + 1)) starts.push(k + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - starts[lo]! + 1 };
  };
}

function lineCol(text: string, offset: number): string {
  const p = lineColumn(text, offset);
  return `${p.line}:${p.column}`;
}

const VERSION_11 = /^\uFEFF?<\?xml[ \t\r\n][^>]*?version[ \t\r\n]*=[ \t\r\n]*(["'])1\.1\1/;

/** The XML version a document declares (1.0 when it has no declaration). */
export function declaredVersion(text: string): XmlVersion {
  return VERSION_11.test(text.slice(0, 400)) ? '1.1' : '1.0';
}
