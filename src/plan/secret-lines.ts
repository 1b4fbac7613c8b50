/**
 * Secret fields in a normal form (src/xml/semantic-compare.ts: one element per line, indented by two
 * spaces per level, text never holding a raw `<`), for `--verify` and `plan --diff`. Which fields are
 * Secrets: src/model/secret-fields.ts.
 */
import { ENCRYPTED_SECRET, isSecretField } from '../model/secret-fields.js';

const START = /^( *)<([^\s/>]+)(?:\s[^>]*)?>/;
const LEAF = /^( *)<([^\s/>]+)>([^<]*)<\/([^\s>]+)>$/;

/** The element name of the nearest line above `i` indented by `indent - 2` (the parent element). */
function parentOf(lines: readonly string[], i: number, indent: number): string | undefined {
  for (let j = i - 1; j >= 0; j--) {
    const m = START.exec(lines[j]!);
    if (m && m[1]!.length === indent - 2) return m[2];
    if (m && m[1]!.length < indent - 2) return undefined;
  }
  return undefined;
}

/** Line `i` as a one-line Secret field: its start tag (with indentation), value and end tag. */
function secretLeaf(lines: readonly string[], i: number): { head: string; value: string; tail: string } | undefined {
  const m = LEAF.exec(lines[i]!);
  if (!m || m[2] !== m[4] || !isSecretField(m[2]!, parentOf(lines, i, m[1]!.length))) return undefined;
  return { head: `${m[1]}<${m[2]}>`, value: m[3]!, tail: `</${m[2]}>` };
}

/**
 * Are two normal forms the same, up to Secret fields where Jenkins holds an encrypted value and
 * jobsmith pushed plain text (a new IV at every save: the value is opaque)? Only in a Secret field,
 * and never when the pushed value is itself of the encrypted shape (then the encrypted value must be
 * that one).
 */
export function sameUpToSecrets(live: string, pushed: string): boolean {
  if (live === pushed) return true;
  if (!live.includes('{AQAAABAAAA')) return false;
  const a = live.split('\n');
  const b = pushed.split('\n');
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) continue;
    const l = secretLeaf(a, i);
    const p = secretLeaf(b, i);
    if (!l || !p || l.head !== p.head || !ENCRYPTED_SECRET.test(l.value) || ENCRYPTED_SECRET.test(p.value)) return false;
  }
  return true;
}

/** The normal form with every Secret field's value shown as `****` (one line, also when the value had several). */
export function maskSecrets(normal: string): string {
  const lines = normal.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const m = START.exec(line);
    if (!m || line.endsWith('/>') || !isSecretField(m[2]!, parentOf(lines, i, m[1]!.length))) {
      out.push(line);
      continue;
    }
    // a value's text runs to the line ending with this element's end tag (text never holds '<');
    // element content has a markup line before it
    const end = `</${m[2]}>`;
    let j = i;
    while (j < lines.length && !lines[j]!.endsWith(end)) j++;
    if (j >= lines.length || lines.slice(i + 1, j).some((l) => l.trimStart().startsWith('<'))) {
      out.push(line);
      continue;
    }
    out.push(`${m[0]}****${end}`);
    i = j;
  }
  return out.join('\n');
}
