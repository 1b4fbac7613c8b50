/**
 * A cheap, sufficient test for "the same config" (src/xml/semantic-compare.ts answers the full
 * question): are two documents byte-equal once rewritten in ways that never change what a parser
 * reads? `--verify` asks it first for every job: Jenkins re-serialises a config (XML 1.1
 * declaration, `<a/>` for `<a></a>`, no final newline), and a template that was itself taken from a
 * Jenkins config is otherwise written back byte for byte, so most live configs pass here without a
 * normal form being built.
 *
 * The rewrites:
 * - the XML declaration (only `version` 1.0/1.1, `encoding` UTF-8, `standalone`; any other
 *   declaration: no answer) and the whitespace around the root element go;
 * - an empty element written with an end tag (`<a x="1"></a>`) is written self-closing (`<a x="1"/>`);
 * - in text (not in attribute values), `&apos;`, `&quot;` and `&gt;` are written as the characters
 *   they stand for (XStream escapes `'`, `"` and `>` in text; templates seldom do).
 *
 * They are exact only where markup cannot hide in text: a document holding a comment, CDATA, a
 * DOCTYPE or a processing instruction (`<!`, `<?` after the declaration), a character reference
 * (`&#`: XML 1.0 and 1.1 read some differently), a carriage return, a control character or an
 * XML 1.1 line end (U+0085, U+2028) gets no answer here. "No answer" is `false`: not shown equal, never "different";
 * the caller then compares normal forms.
 */

/** XML's own declaration syntax (lower-case keywords, XML whitespace only; the encoding name alone is case-insensitive). */
const DECLARATION = /^\uFEFF?<\?xml[ \t\n]+version[ \t\n]*=[ \t\n]*(["'])1\.[01]\1(?:[ \t\n]+encoding[ \t\n]*=[ \t\n]*(["'])[Uu][Tt][Ff]-8\2)?(?:[ \t\n]+standalone[ \t\n]*=[ \t\n]*(["'])(?:yes|no)\3)?[ \t\n]*\?>/;
/** Anything that makes a byte rewrite unsafe, or that XML 1.0 and 1.1 read differently. */
const UNSAFE = /<[!?]|&#|[\u0000-\u0008\u000b\u000c\u000d\u000e-\u001f\u007f-\u009f\u2028]/;
const TEXT_ENTITY = /&(apos|quot|gt);/g;
const TEXT_CHAR: Record<string, string> = { apos: "'", quot: '"', gt: '>' };
const decodeTextEntity = (_: string, e: string): string => TEXT_CHAR[e]!;

/** XML's whitespace (no other Unicode space: one outside the root element is not well-formed). */
function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x09;
}

/**
 * The document's bytes after the rewrites, or undefined when they would not be exact for it. Only
 * what changes is copied: the runs between two rewrites are sliced once.
 */
function rewritten(xml: string): string | undefined {
  let s = 0;
  if (xml.charCodeAt(0) === 0xfeff || xml.startsWith('<?')) {
    const m = DECLARATION.exec(xml);
    if (!m) return undefined;
    s = m[0].length;
  }
  if (UNSAFE.test(xml.length > 0 && s > 0 ? xml.slice(s) : xml)) return undefined;
  let e = xml.length;
  while (s < e && isSpace(xml.charCodeAt(s))) s++;
  while (e > s && isSpace(xml.charCodeAt(e - 1))) e--;
  let out = '';
  let from = s;
  let i = s;
  // where the next quote characters are (searched again once passed; -1: none left)
  let dq = xml.indexOf('"', s);
  let sq = xml.indexOf("'", s);
  while (i < e) {
    const lt = xml.indexOf('<', i);
    const textEnd = lt < 0 || lt > e ? e : lt;
    if (textEnd > i) {
      const amp = xml.indexOf('&', i);
      if (amp >= 0 && amp < textEnd) {
        out += xml.slice(from, i) + xml.slice(i, textEnd).replace(TEXT_ENTITY, decodeTextEntity);
        from = textEnd;
      }
    }
    if (textEnd === e) break;
    // the tag's end: the first '>' outside a quoted attribute value
    let j = xml.indexOf('>', lt + 1);
    if (j < 0 || j >= e) return undefined;
    if (dq !== -1 && dq < lt) dq = xml.indexOf('"', lt);
    if (sq !== -1 && sq < lt) sq = xml.indexOf("'", lt);
    if ((dq !== -1 && dq < j) || (sq !== -1 && sq < j)) {
      let quote = 0;
      for (j = lt + 1; j < e; j++) {
        const c = xml.charCodeAt(j);
        if (quote !== 0) {
          if (c === quote) quote = 0;
        } else if (c === 0x22 || c === 0x27) quote = c;
        else if (c === 0x3e) break;
      }
      if (j >= e) return undefined;
    }
    i = j + 1;
    // an empty element written with an end tag: self-closing, when that end tag is its own
    if (xml.charCodeAt(i) === 0x3c && xml.charCodeAt(i + 1) === 0x2f && xml.charCodeAt(lt + 1) !== 0x2f && xml.charCodeAt(j - 1) !== 0x2f) {
      let k = lt + 1;
      while (k < j && !isSpace(xml.charCodeAt(k)) && xml.charCodeAt(k) !== 0x2f) k++;
      const close = xml.indexOf('>', i);
      if (close > 0 && close < e) {
        let c = close;
        while (c > i + 2 && isSpace(xml.charCodeAt(c - 1))) c--;
        if (c - (i + 2) === k - (lt + 1) && xml.startsWith(xml.slice(lt + 1, k), i + 2)) {
          out += xml.slice(from, j) + '/>';
          from = close + 1;
          i = close + 1;
        }
      }
    }
  }
  return out + xml.slice(from, e);
}

/**
 * True when `a` and `b` are provably the same document (byte-equal after the rewrites above); false
 * when that cannot be shown this cheaply, which includes every real difference. `b` must be
 * well-formed (it is, when it is a config jobsmith rendered): then so is an `a` found equal.
 */
export function sameSerialisation(a: string, b: string): boolean {
  if (a === b) return true;
  const ra = rewritten(a);
  if (ra === undefined) return false;
  const rb = rewritten(b);
  return rb !== undefined && ra === rb;
}
