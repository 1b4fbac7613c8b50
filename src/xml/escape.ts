/**
 * XML escaping and decoding for the byte-preserving editor.
 * Escaping follows what Jenkins (XStream) writes: `&amp; &lt; &gt;` in text, plus `&quot;`/`&apos;`
 * in attributes, and a carriage return as `&#xd;` so it survives the parser's line-end normalisation.
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
