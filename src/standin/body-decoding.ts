/** How Jenkins turns request bytes into XML text (reference §0.6). */
import { TextDecoder } from 'node:util';

export class BodyDecodingError extends Error {}

const ALIASES: Record<string, string> = {
  'utf-8': 'utf-8', utf8: 'utf-8',
  'iso-8859-1': 'latin1', 'iso8859-1': 'latin1', latin1: 'latin1', 'iso_8859-1': 'latin1', 'us-ascii': 'latin1', ascii: 'latin1',
  'windows-1252': 'windows-1252', cp1252: 'windows-1252',
  'utf-16': 'utf-16', 'utf-16le': 'utf-16le', 'utf-16be': 'utf-16be',
};

const decoders = new Map<string, TextDecoder>();
function decoderFor(enc: string, fatal: boolean): TextDecoder {
  const k = `${enc}/${fatal}`;
  let d = decoders.get(k);
  if (!d) decoders.set(k, (d = new TextDecoder(enc, { fatal })));
  return d;
}

function decode(buf: Buffer, enc: string, fatal: boolean): string {
  if (enc === 'latin1') return buf.toString('latin1');
  if (enc === 'utf-8' && !fatal) return buf.toString('utf8');
  if (enc === 'utf-16be') {
    const swapped = Buffer.from(buf);
    swapped.swap16();
    return decoderFor('utf-16le', fatal).decode(swapped);
  }
  try {
    return decoderFor(enc, fatal).decode(buf);
  } catch (e) {
    if (e instanceof RangeError) throw new BodyDecodingError(`Unsupported encoding: ${enc}`);
    throw new BodyDecodingError(`Invalid byte sequence for ${enc}`);
  }
}

/** createItem / createView read raw bytes: BOM or the XML declaration decides (default UTF-8). */
export function decodeXmlBytes(buf: Buffer): string {
  if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return decode(buf.subarray(3), 'utf-8', true);
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return decode(buf.subarray(2), 'utf-16le', true);
  if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) return decode(buf.subarray(2), 'utf-16be', true);
  const head = buf.subarray(0, 200).toString('latin1');
  const m = /^\s*<\?xml[^>]*?encoding\s*=\s*["']([^"']+)["']/.exec(head);
  const declared = m ? m[1]!.toLowerCase() : 'utf-8';
  const enc = ALIASES[declared];
  if (!enc) throw new BodyDecodingError(`Unsupported encoding: ${m?.[1]}`);
  return decode(buf, enc === 'utf-16' ? 'utf-16le' : enc, true);
}

/** `job/X/config.xml` and `view/V/config.xml` POST read through the Content-Type charset (default ISO-8859-1). */
export function decodeByContentType(buf: Buffer, contentType: string | undefined): string {
  const m = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? '');
  if (!m) return buf.toString('latin1');
  const enc = ALIASES[m[1]!.toLowerCase()];
  if (!enc) throw new BodyDecodingError(`Unsupported charset: ${m[1]}`);
  return decode(buf, enc === 'utf-16' ? 'utf-16le' : enc, false);
}

/** Jenkins' XML submission test: Content-Type starts with application/xml or text/xml. */
export function isXmlContentType(ct: string | undefined): boolean {
  if (!ct) return false;
  const l = ct.toLowerCase();
  return l.startsWith('application/xml') || l.startsWith('text/xml');
}
