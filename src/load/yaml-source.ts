/**
 * YAML files as the loaders see them: parsed with the failsafe schema (every scalar is a string, so
 * `3.0` stays `3.0` and `on` stays `on`), duplicate keys rejected, positions for every node.
 */
import { createRequire } from 'node:module';
import type { Node, Pair, YAMLMap } from 'yaml';
import { isMap, isScalar, isSeq, type LineCounter } from './yaml-nodes.js';
import { parseSimpleYaml } from './yaml-fast-path.js';
import type { Diagnostic, SourceLocation } from '../model/diagnostic.js';
import { didYouMean } from './did-you-mean.js';

export interface Loc {
  file: string;
  line: number;
  column: number;
}

/** The `yaml` library, loaded only when a file is beyond the fast path (start-up time matters for render). */
let yamlLib: typeof import('yaml') | undefined;

export class YamlSource {
  readonly lines: Pick<LineCounter, 'linePos' | 'lineStarts'>;
  /** The document's top node (null for an empty document). */
  readonly contents: unknown;
  readonly ok: boolean;
  readonly diagnostics: Diagnostic[] = [];

  constructor(
    readonly file: string,
    readonly text: string,
  ) {
    const fast = parseSimpleYaml(text);
    if (fast) {
      this.lines = fast.lines;
      this.contents = fast.contents;
      this.ok = true;
      return;
    }
    yamlLib ??= createRequire(import.meta.url)('yaml') as typeof import('yaml');
    const lineCounter = new yamlLib.LineCounter();
    this.lines = lineCounter;
    const doc = yamlLib.parseDocument(text, { lineCounter, uniqueKeys: true, schema: 'failsafe', prettyErrors: false });
    this.contents = doc.contents;
    this.ok = doc.errors.length === 0;
    for (const e of [...doc.errors, ...doc.warnings]) {
      const p = this.lines.linePos(e.pos[0]);
      const message = e.code === 'DUPLICATE_KEY' ? `duplicate key ${this.keyAt(e.pos[0]) ?? ''}`.trim() : e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
      this.diagnostics.push({
        severity: 'error',
        code: e.code === 'DUPLICATE_KEY' ? 'duplicate-key' : 'yaml-syntax',
        message: e.code === 'DUPLICATE_KEY' ? message : `YAML: ${message}`,
        file,
        line: p.line,
        column: p.col,
      });
    }
  }

  private keyAt(offset: number): string | undefined {
    const m = /^[^:\n]*/.exec(this.text.slice(offset));
    return m ? m[0].trim() : undefined;
  }

  at(offset: number | undefined): Loc {
    // LineCounter.linePos, without its intermediate object (asked for every field of every file).
    const starts = this.lines.lineStarts;
    const at = offset ?? 0;
    let low = 0;
    let high = starts.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (starts[mid]! < at) low = mid + 1;
      else high = mid;
    }
    if (starts[low] === at) return { file: this.file, line: low + 1, column: 1 };
    if (low === 0) return { file: this.file, line: 0, column: at };
    return { file: this.file, line: low, column: at - starts[low - 1]! + 1 };
  }

  loc(node: Node | null | undefined | unknown): Loc {
    const n = node as Node | null | undefined;
    return this.at(n?.range?.[0]);
  }

  error(node: unknown, code: string, message: string, field?: string): Diagnostic {
    const d: Diagnostic = { severity: 'error', code, message, ...this.loc(node) };
    if (field !== undefined) d.field = field;
    this.diagnostics.push(d);
    return d;
  }

  /** An error at a location already known (a list item's value). */
  errorAt(loc: Loc, code: string, message: string, field?: string): Diagnostic {
    const d: Diagnostic = { severity: 'error', code, message, file: loc.file, line: loc.line, column: loc.column };
    if (field !== undefined) d.field = field;
    this.diagnostics.push(d);
    return d;
  }

  warn(node: unknown, code: string, message: string, field?: string): Diagnostic {
    const d: Diagnostic = { severity: 'warning', code, message, ...this.loc(node) };
    if (field !== undefined) d.field = field;
    this.diagnostics.push(d);
    return d;
  }

  /** The top-level mapping, or undefined (with a diagnostic) when the document is something else. Empty file = empty map. */
  topMap(what: string): YAMLMap | undefined {
    const c = this.contents as Node | null;
    if (c === null || (isScalar(c) && (c.value === '' || c.value === null))) return undefined;
    if (!isMap(c)) {
      this.error(c, 'bad-type', `${what} must be a mapping (key: value lines)`);
      return undefined;
    }
    return c as YAMLMap;
  }

  /** Pairs of a map with string keys; reports non-string keys and unknown keys (with a hint). */
  pairs(map: YAMLMap, known: readonly string[] | null, prefix: string): Array<{ key: string; pair: Pair; value: unknown }> {
    const out: Array<{ key: string; pair: Pair; value: unknown }> = [];
    for (const pair of map.items) {
      const k = pair.key;
      if (!isScalar(k) || typeof k.value !== 'string') {
        this.error(k, 'bad-type', 'keys must be plain text', prefix || undefined);
        continue;
      }
      const key = k.value;
      if (known && !known.includes(key)) {
        this.error(k, 'unknown-key', `unknown key "${key}"${didYouMean(key, known)} (known: ${known.join(', ')})`, prefix ? `${prefix}.${key}` : key);
        continue;
      }
      out.push({ key, pair, value: pair.value });
    }
    return out;
  }

  /** A scalar string, or undefined with a diagnostic. */
  str(node: unknown, field: string, opts: { allowEmpty?: boolean } = {}): string | undefined {
    if (isScalar(node) && typeof node.value === 'string') {
      if (!opts.allowEmpty && node.value.trim() === '') {
        this.error(node, 'bad-value', `${field} must not be empty`, field);
        return undefined;
      }
      return node.value;
    }
    this.error(node, 'bad-type', `${field} must be text${isSeq(node) ? ', not a list' : isMap(node) ? ', not a mapping' : ''}`, field);
    return undefined;
  }

  bool(node: unknown, field: string): boolean | undefined {
    const s = isScalar(node) && typeof node.value === 'string' ? node.value : undefined;
    if (s === 'true' || s === 'false') return s === 'true';
    this.error(node, 'bad-type', `${field} must be true or false`, field);
    return undefined;
  }

  int(node: unknown, field: string, min: number): number | undefined {
    const s = isScalar(node) && typeof node.value === 'string' ? node.value : undefined;
    if (s !== undefined && /^\d+$/.test(s) && Number(s) >= min && Number.isSafeInteger(Number(s))) return Number(s);
    this.error(node, 'bad-type', `${field} must be a whole number >= ${min}`, field);
    return undefined;
  }

  /** A list of strings (a single string is accepted as a one-element list). */
  strList(node: unknown, field: string): Array<{ value: string; loc: Loc }> | undefined {
    if (isScalar(node) && typeof node.value === 'string' && node.value !== '') return [{ value: node.value, loc: this.loc(node) }];
    if (!isSeq(node)) {
      this.error(node, 'bad-type', `${field} must be a list`, field);
      return undefined;
    }
    const out: Array<{ value: string; loc: Loc }> = [];
    node.items.forEach((item, i) => {
      const v = this.str(item, `${field}[${i}]`);
      if (v !== undefined) out.push({ value: v, loc: this.loc(item) });
    });
    return out;
  }
}

export function toLocation(l: Loc): SourceLocation {
  return { file: l.file, line: l.line, column: l.column };
}
