/**
 * Semantic comparison of config.xml documents for `--verify` (drift detection).
 * Jenkins re-serialises config.xml (XML 1.1 declaration, its own indentation, `<a/>` vs `<a></a>`,
 * entity choices, `plugin="x@version"` attributes), so bytes never compare equal. Two configs are
 * the same when their element trees match after: dropping the declaration, comments and
 * whitespace-only text; trimming text; sorting attributes; ignoring `plugin` attributes; and
 * removing the jobsmith marker from the root description.
 */
import { XMLParser } from 'fast-xml-parser';
import { stripMarker } from './marker.js';

type Node = Record<string, unknown>;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  ignoreDeclaration: true,
  ignorePiTags: true,
  trimValues: true,
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: true,
  htmlEntities: true,
});

function canon(nodes: Node[], depth: number, parent: string): string {
  const out: string[] = [];
  for (const n of nodes) {
    for (const key of Object.keys(n)) {
      if (key === ':@') continue;
      if (key === '#text') {
        let text = String(n[key]);
        if (depth === 2 && parent === 'description') text = stripMarker(text).trim();
        if (text !== '') out.push(JSON.stringify(text));
        continue;
      }
      const attrs = (n[':@'] ?? {}) as Record<string, string>;
      const a = Object.keys(attrs)
        .filter((k) => k !== 'plugin')
        .sort()
        .map((k) => `${k}=${JSON.stringify(attrs[k])}`)
        .join(' ');
      const children = canon((n[key] ?? []) as Node[], depth + 1, key);
      out.push(`<${key}${a ? ' ' + a : ''}>${children}</>`);
    }
  }
  return out.join('');
}

/** A canonical string for a config.xml; throws when the XML is malformed. */
export function canonicalConfig(xml: string): string {
  return canon(parser.parse(xml) as Node[], 0, '');
}

export function sameConfig(a: string, b: string): boolean {
  try {
    return canonicalConfig(a) === canonicalConfig(b);
  } catch {
    return false;
  }
}
