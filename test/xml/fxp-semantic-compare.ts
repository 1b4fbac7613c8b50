/**
 * The fast-xml-parser comparison jobsmith used before its own scanner took the job: the reference of
 * the differential test in semantic-xml.test.ts.
 *
 * Semantic comparison of config.xml documents for `--verify` (drift detection).
 * Jenkins re-serialises config.xml (XML 1.1 declaration, its own indentation, `<a/>` vs `<a></a>`,
 * entity choices, `plugin="x@version"` attributes), so bytes never compare equal. Two configs are
 * the same when their element trees match after: dropping the declaration, comments and
 * whitespace-only text; trimming text; sorting attributes; ignoring `plugin` attributes; and
 * removing the jobsmith marker from the root description.
 */
import { createRequire } from 'node:module';
import type { XMLParser } from 'fast-xml-parser';
import { stripMarker } from '../../src/plan/marker.js';

type Node = Record<string, unknown>;

// Loaded on first use (only `--verify` compares configs), so a plain sync does not pay for the parser.
let parser: XMLParser | undefined;
function getParser(): XMLParser {
  if (!parser) {
    const { XMLParser: Parser } = createRequire(import.meta.url)('fast-xml-parser') as typeof import('fast-xml-parser');
    parser = new Parser({
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
  }
  return parser;
}

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
export function fxpCanonicalConfig(xml: string): string {
  return canon(getParser().parse(xml) as Node[], 0, '');
}

export function fxpSameConfig(a: string, b: string): boolean {
  try {
    return fxpCanonicalConfig(a) === fxpCanonicalConfig(b);
  } catch {
    return false;
  }
}
