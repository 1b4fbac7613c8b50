/**
 * The home of XML escaping and decoding. What jobsmith writes into a document goes through here:
 *
 * - `escapeText`, `escapeAttr`, `escapeCdata`: literal text jobsmith inserts (edits of the
 *   byte-preserving editor, the root description and its marker, generated view and folder
 *   configs). Escaping follows what Jenkins (XStream) writes: `&amp; &lt; &gt;` in text, plus
 *   `&quot;`/`&apos;` in attributes, and a carriage return as `&#xd;` so it survives the parser's
 *   line-end normalisation. They assume characters every XML version carries literally;
 *   `escapeForContext` (./escape-context.ts) is the variant for values of any content (token values:
 *   per context and XML version, refusing what the version cannot carry).
 * - `decodeText`, `decodeWithMap`: character data as a parser reports it (references decoded, line
 *   ends normalised); `decodeWithMap` also maps every decoded unit back to its raw offset.
 *
 * Two writers jobsmith imitates escape their own way, and keep their rules with the imitation:
 * XStream's pretty printer (./serialise.ts) and the JDK's identity transform (./identity-transform.ts).
 */

export function escapeText(value: string): string {
  return value.replace(/[&<>\r]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&#xd;'));
}

export function escapeAttr(value: string, quote: '"' | "'"): string {
  return value.replace(/[&<>"'\r\n\t]/g, (c) => {
    switch (c) {
      case '&':
        return '&amp;';
      case '<':
        return '&lt;';
      case '>':
        return '&gt;';
      case '"':
        return quote === '"' ? '&quot;' : c;
      case "'":
        return quote === "'" ? '&apos;' : c;
      case '\r':
        return '&#xd;';
      case '\n':
        return '&#xa;';
      default:
        return '&#x9;';
    }
  });
}

/** Inside a CDATA section everything is literal except the end marker `]]>`, which is split. */
export function escapeCdata(value: string): string {
  return value.replace(/]]>/g, ']]]]><![CDATA[>');
}

const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** A reference's character(s) (`amp`, `#10`, `#x1F600`), or undefined when it is not one of the predefined five or a character reference. */
export function referenceValue(ref: string): string | undefined {
  if (ref.startsWith('#x') || ref.startsWith('#X')) {
    const cp = parseInt(ref.slice(2), 16);
    return cp >= 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : undefined;
  }
  if (ref.startsWith('#')) {
    const cp = parseInt(ref.slice(1), 10);
    return cp >= 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : undefined;
  }
  return NAMED[ref];
}

const LINE_ENDS_10 = /\r\n?/g;
const LINE_ENDS_11 = /\r[\n\u0085]?|[\u0085\u2028]/g;
const REFERENCE = /&([^;&\s<]*);/g;

/**
 * Decode raw character data as a parser reports it: literal line ends become `\n` (XML 1.1 also
 * counts NEL and LINE SEPARATOR), then references are decoded. With `cdata`, only line ends.
 * The text must be well-formed (checked by the scanner): an unknown reference is kept as written.
 */
export function decodeText(raw: string, cdata = false, version: '1.0' | '1.1' = '1.0'): string {
  let t = raw;
  if (t.indexOf('\r') >= 0 || (version === '1.1' && /[\u0085\u2028]/.test(t))) t = t.replace(version === '1.1' ? LINE_ENDS_11 : LINE_ENDS_10, '\n');
  if (cdata || t.indexOf('&') < 0) return t;
  return t.replace(REFERENCE, (m, ref: string) => referenceValue(ref) ?? m);
}

/**
 * An attribute value as a parser reports it: literal line ends (XML 1.1 adds NEL and LINE
 * SEPARATOR, section 2.11) and tabs become spaces (attribute-value normalisation), then references
 * are decoded (so `&#10;` stays a line feed).
 */
export function decodeAttribute(raw: string, version: '1.0' | '1.1' = '1.0'): string {
  const lineEnds = version === '1.1' ? /\r[\n\u0085]?|[\n\t\u0085\u2028]/g : /\r\n?|[\n\t]/g;
  return decodeText(raw.replace(lineEnds, ' '));
}

/**
 * Decode raw character data (entity and character references, line ends normalised as the XML
 * parser does) and keep, for every decoded UTF-16 unit, the offset in `raw` where it came from.
 * `map[i]` is the raw offset of decoded unit i; `map[text.length]` is `raw.length`.
 * With `cdata`, only line ends are normalised.
 */
export function decodeWithMap(raw: string, cdata = false): { text: string; map: number[] } {
  let text = '';
  const map: number[] = [];
  let i = 0;
  while (i < raw.length) {
    const c = raw[i]!;
    if (c === '&' && !cdata) {
      const semi = raw.indexOf(';', i);
      const ref = semi > i ? raw.slice(i + 1, semi) : '';
      let decoded: string | undefined;
      if (ref.startsWith('#x') || ref.startsWith('#X')) decoded = String.fromCodePoint(parseInt(ref.slice(2), 16));
      else if (ref.startsWith('#')) decoded = String.fromCodePoint(parseInt(ref.slice(1), 10));
      else decoded = NAMED[ref];
      if (decoded !== undefined && semi > i) {
        for (let k = 0; k < decoded.length; k++) map.push(i);
        text += decoded;
        i = semi + 1;
        continue;
      }
    }
    if (c === '\r') {
      map.push(i);
      text += '\n';
      i += raw[i + 1] === '\n' ? 2 : 1;
      continue;
    }
    map.push(i);
    text += c;
    i++;
  }
  map.push(raw.length);
  return { text, map };
}
