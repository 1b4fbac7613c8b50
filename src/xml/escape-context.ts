/**
 * Escaping a token value for the place it lands in a config.xml (text, attribute value, CDATA
 * section, comment), for the document's XML version. A value can never change the document's
 * structure: every character that means something in that context is escaped, and characters the
 * XML version cannot carry are reported instead of written.
 */
export type XmlVersion = '1.0' | '1.1';
export type TokenContext = 'text' | 'attribute' | 'cdata' | 'comment';

/** Characters XML 1.0 forbids outright (anywhere, even as references): controls, lone surrogates, U+FFFE/FFFF. */
const INVALID_10 = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
/** XML 1.1 forbids only NUL, lone surrogates and U+FFFE/FFFF; other controls must be written as references. */
const INVALID_11 = /[^\u0001-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
/** XML 1.1 "restricted" characters: legal only as character references. */
const RESTRICTED_11 = /[\u0001-\u0008\u000B\u000C\u000E-\u001F\u007F-\u0084\u0086-\u009F]/;

export function invalidCharRegex(version: XmlVersion): RegExp {
  return version === '1.1' ? INVALID_11 : INVALID_10;
}

/** Is the code point a legal XML Char for this version (as a reference)? */
export function isLegalCharRef(cp: number, version: XmlVersion): boolean {
  if (cp === 0) return false;
  if (cp < 0x20) return version === '1.1' || cp === 0x9 || cp === 0xa || cp === 0xd;
  if (cp <= 0xd7ff) return true;
  if (cp >= 0xe000 && cp <= 0xfffd) return true;
  return cp >= 0x10000 && cp <= 0x10ffff;
}

/** Describe a character for a message: `U+0000 (NUL)`. */
export function describeChar(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0;
  const hex = cp.toString(16).toUpperCase().padStart(4, '0');
  return `U+${hex}`;
}

export interface EscapeResult {
  /** The escaped text, or undefined when the value cannot be carried. */
  text?: string;
  /** Why the value cannot be carried. */
  problem?: string;
}

const charRef = (ch: string): string => `&#x${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase()};`;

const TEXT_SPECIAL = /[&<>\r]/;
const TEXT_SPECIAL_G = /[&<>\r]/g;
const ATTR_SPECIAL = /[&<>"'\t\n\r]/;
const ATTR_SPECIAL_G = /[&<>"'\t\n\r]/g;
/** 1.1 normalises NEL and LINE SEPARATOR to LF in parsed text; write them as references to keep them. */
const EXTRA_11_G = /[\u0001-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u2028]/g;

const REPLACE: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
};

function replaceSpecial(ch: string): string {
  return REPLACE[ch] ?? ch;
}

/**
 * Escape `value` for `context` in a document of `version`.
 * - text: `& < >` and CR become references (so `]]>` and CRLF survive);
 * - attribute: also both quotes, TAB, LF, CR (attribute-value normalisation would eat them);
 * - cdata: raw, `]]>` split across two sections; characters that need a reference close the section;
 * - comment: `--` and a trailing `-` broken with a space.
 */
export function escapeForContext(value: string, context: TokenContext, version: XmlVersion): EscapeResult {
  const bad = invalidCharRegex(version).exec(value);
  if (bad) {
    return { problem: `contains ${describeChar(bad[0])}, which XML ${version} cannot carry` };
  }
  const v11 = version === '1.1';
  switch (context) {
    case 'text': {
      let out = TEXT_SPECIAL.test(value) ? value.replace(TEXT_SPECIAL_G, replaceSpecial) : value;
      if (v11) out = out.replace(EXTRA_11_G, charRef);
      return { text: out };
    }
    case 'attribute': {
      let out = ATTR_SPECIAL.test(value) ? value.replace(ATTR_SPECIAL_G, replaceSpecial) : value;
      if (v11) out = out.replace(EXTRA_11_G, charRef);
      return { text: out };
    }
    case 'cdata': {
      let out = value.includes(']]>') ? value.split(']]>').join(']]]]><![CDATA[>') : value;
      // CR (and in 1.1 the restricted characters, NEL, LS) cannot be kept inside CDATA: leave the section for a reference.
      const needsRef = v11 ? /[\r\u0001-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u2028]/g : /\r/g;
      if (needsRef.test(out)) {
        needsRef.lastIndex = 0;
        out = out.replace(needsRef, (ch) => `]]>${charRef(ch)}<![CDATA[`);
      }
      if (v11 && RESTRICTED_11.test(out)) return { problem: 'internal: restricted character left in CDATA' };
      return { text: out };
    }
    case 'comment': {
      let out = value.replace(/-(?=-)/g, '- ');
      if (out.endsWith('-')) out += ' ';
      if (v11 && RESTRICTED_11.test(out)) return { problem: `contains ${describeChar(RESTRICTED_11.exec(out)![0])}, which a comment in XML 1.1 cannot carry` };
      return { text: out };
    }
  }
}
