/**
 * What Jenkins stores when it accepts a config.xml (createItem, and config.xml POST before 2.568):
 * `XMLUtils.safeTransform`, i.e. the JDK's identity `Transformer` fed by a SAX parser. The output is
 * the document re-serialised from parse events, not the submitted bytes. Verified by running the same
 * steps on the JDK (17) and comparing (see docs/jenkins-api-notes.md, "identity transform"):
 *
 *  - declaration `<?xml version="1.0" encoding="UTF-8"?>` (version 1.1 kept), no standalone, and the
 *    root (or first comment/PI) follows on the same line;
 *  - whitespace outside the root element is dropped (so a final newline is gone); comments and
 *    processing instructions there are kept;
 *  - line ends are normalised (`\r\n`, `\r`; in 1.1 also NEL and LINE SEPARATOR) to `\n`;
 *  - text: entities are decoded and re-escaped, only `&` `<` `>` as `&amp;` `&lt;` `&gt;`, so
 *    `&quot;` becomes `"` and `&apos;` becomes `'`; a CR (from `&#13;`), C0/C1 controls and characters
 *    outside the BMP are written as decimal references (`&#13;`, `&#127;`, `&#128512;`);
 *  - attributes: always double quotes, single spaces between them, namespace declarations first;
 *    `&` `<` `>` `"` escaped, tab/LF/CR (from references) as `&#9;` `&#10;` `&#13;`, literal whitespace
 *    normalised to spaces by the parser;
 *  - `<x></x>` becomes `<x/>`; an empty CDATA section disappears, others are kept;
 *  - a processing instruction keeps one space between target and data.
 *
 * A DOCTYPE is refused here (the stand-in's choice; Jenkins' transform would drop it and expand
 * internal entities).
 */
import { scanXml } from './scan.js';
import { XmlSyntaxError } from './syntax-error.js';

type Version = '1.0' | '1.1';

const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function ref(cp: number): string {
  return `&#${cp};`;
}

function escapeTextChar(cp: number, ch: string): string {
  switch (cp) {
    case 38: return '&amp;';
    case 60: return '&lt;';
    case 62: return '&gt;';
    case 13: return '&#13;';
    case 9:
    case 10: return ch;
  }
  if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp > 0xffff) return ref(cp);
  return ch;
}

function escapeAttrChar(cp: number, ch: string): string {
  switch (cp) {
    case 38: return '&amp;';
    case 60: return '&lt;';
    case 62: return '&gt;';
    case 34: return '&quot;';
    case 9: return '&#9;';
    case 10: return '&#10;';
    case 13: return '&#13;';
  }
  if (cp < 0x20 || cp > 0xffff) return ref(cp);
  return ch;
}

/**
 * Decode a raw text or attribute span (references and literal line ends) and re-escape it.
 * In attributes, literal whitespace becomes a space (attribute-value normalisation).
 */
function reEscape(raw: string, version: Version, attr: boolean): string {
  let out = '';
  const n = raw.length;
  for (let k = 0; k < n; ) {
    const c = raw.charCodeAt(k);
    if (c === 38 /* & */) {
      const semi = raw.indexOf(';', k);
      const body = raw.slice(k + 1, semi);
      let cp: number;
      if (body.startsWith('#x')) cp = parseInt(body.slice(2), 16);
      else if (body.startsWith('#')) cp = parseInt(body.slice(1), 10);
      else cp = PREDEFINED[body]!.charCodeAt(0);
      const ch = String.fromCodePoint(cp);
      out += attr ? escapeAttrChar(cp, ch) : escapeTextChar(cp, ch);
      k = semi + 1;
      continue;
    }
    // literal line ends: \r\n, \r (and in 1.1 \r NEL, NEL, LINE SEPARATOR) are one \n
    if (c === 13 || (version === '1.1' && (c === 0x85 || c === 0x2028))) {
      const next = raw.charCodeAt(k + 1);
      k += c === 13 && (next === 10 || (version === '1.1' && next === 0x85)) ? 2 : 1;
      out += attr ? ' ' : '\n';
      continue;
    }
    if (attr && (c === 9 || c === 10)) {
      out += ' ';
      k++;
      continue;
    }
    const cp = raw.codePointAt(k)!;
    const ch = cp > 0xffff ? raw.slice(k, k + 2) : raw[k]!;
    out += attr ? escapeAttrChar(cp, ch) : escapeTextChar(cp, ch);
    k += ch.length;
  }
  return out;
}

/** Literal line-end normalisation only (comments, PIs, CDATA). */
function normaliseNewlines(s: string, version: Version): string {
  const re = version === '1.1' ? /\r\n|\r\u0085|\r|\u0085|\u2028/g : /\r\n?/g;
  return s.replace(re, '\n');
}

/** Run the identity transform over a decoded document; throws XmlSyntaxError when it is not well-formed. */
export function identityTransform(input: string): string {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const dt = /<!DOCTYPE/.exec(text);
  if (dt) throw new XmlSyntaxError('DOCTYPE is disallowed when the feature "http://apache.org/xml/features/disallow-doctype-decl" set to true.', dt.index);

  const events: Array<{ kind: 'start'; name: string; start: number; end: number; empty: boolean; attrs: ReadonlyArray<{ name: string; valueStart: number; valueEnd: number }> } | { kind: 'end' | 'cdata' | 'other'; start: number; end: number }> = [];
  const res = scanXml(text, {
    tokens: false,
    anyEncoding: true,
    listener: {
      startTag: (name, start, end, empty, attrs) => events.push({ kind: 'start', name, start, end, empty, attrs }),
      endTag: (start, end) => events.push({ kind: 'end', start, end }),
      cdata: (start, end) => events.push({ kind: 'cdata', start, end }),
      other: (start, end) => events.push({ kind: 'other', start, end }),
    },
  });
  if (res.errors.length > 0) {
    const e = res.errors[0]!;
    throw new XmlSyntaxError(e.message, e.offset);
  }
  const version = res.version;
  const parts: string[] = [`<?xml version="${version}" encoding="UTF-8"?>`];
  const stack: string[] = [];
  let openPending = false;
  let last = 0;
  const closeStart = (): void => {
    if (openPending) {
      parts.push('>');
      openPending = false;
    }
  };
  for (const ev of events) {
    if (stack.length > 0 && ev.start > last) {
      const t = reEscape(text.slice(last, ev.start), version, false);
      if (t !== '') {
        closeStart();
        parts.push(t);
      }
    }
    last = ev.end;
    switch (ev.kind) {
      case 'start': {
        closeStart();
        let tag = '<' + ev.name;
        const ns = ev.attrs.filter((a) => a.name === 'xmlns' || a.name.startsWith('xmlns:'));
        const rest = ev.attrs.filter((a) => !(a.name === 'xmlns' || a.name.startsWith('xmlns:')));
        for (const a of [...ns, ...rest]) tag += ` ${a.name}="${reEscape(text.slice(a.valueStart, a.valueEnd), version, true)}"`;
        parts.push(tag);
        if (ev.empty) parts.push('/>');
        else {
          stack.push(ev.name);
          openPending = true;
        }
        break;
      }
      case 'end': {
        const nm = stack.pop()!;
        if (openPending) {
          parts.push('/>');
          openPending = false;
        } else parts.push(`</${nm}>`);
        break;
      }
      case 'cdata': {
        const body = normaliseNewlines(text.slice(ev.start + 9, ev.end - 3), version);
        if (body !== '') {
          closeStart();
          parts.push(`<![CDATA[${body}]]>`);
        }
        break;
      }
      case 'other': {
        closeStart();
        const raw = text.slice(ev.start, ev.end);
        if (raw.startsWith('<!--')) parts.push(normaliseNewlines(raw, version));
        else {
          // <?target data?>: one space between target and data
          const m = /^<\?([^\s?]+)\s*([^]*?)\?>$/.exec(raw)!;
          const data = normaliseNewlines(m[2]!, version);
          parts.push(`<?${m[1]}${data === '' ? '' : ' ' + data}?>`);
        }
        break;
      }
    }
  }
  return parts.join('');
}
