import { parsePath, PathSyntaxError } from '../xml/element-path.js';
import type { XmlConfig } from '../xml/config-editor.js';

/** One bulk edit, as given on the command line. Applied in the order given. */
export type EditOp =
  | { kind: 'set'; path: string; value: string }
  | { kind: 'replace'; search: string | RegExp; replacement: string; under?: string }
  | { kind: 'remove'; path: string }
  | { kind: 'add'; path: string; snippet: string };

/** Split `PATH=VALUE` at the first `=` outside `[...]` and quotes. */
export function parseSetSpec(spec: string): EditOp {
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < spec.length; i++) {
    const c = spec[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '[') depth++;
    else if (c === ']') depth--;
    else if (c === '=' && depth === 0) {
      const path = spec.slice(0, i);
      parsePath(path);
      return { kind: 'set', path, value: spec.slice(i + 1) };
    }
  }
  throw new PathSyntaxError(`--set '${spec}': expected PATH=VALUE`);
}

/** `/pattern/flags` is a regular expression, anything else a literal string. */
export function parseSearch(text: string): string | RegExp {
  const m = /^\/(.*)\/([dgimsuy]*)$/s.exec(text);
  if (!m || m[1] === '') return text;
  try {
    return new RegExp(m[1]!, m[2]);
  } catch (err) {
    throw new PathSyntaxError(`--replace ${text}: ${(err as Error).message}`);
  }
}

export function applyOp(config: XmlConfig, op: EditOp): number {
  switch (op.kind) {
    case 'set':
      return config.set(op.path, op.value);
    case 'replace':
      return config.replace(op.search, op.replacement, op.under);
    case 'remove':
      return config.remove(op.path);
    case 'add':
      return config.add(op.path, op.snippet);
  }
}

export function describeOp(op: EditOp): string {
  switch (op.kind) {
    case 'set':
      return `set ${op.path}=${op.value}`;
    case 'replace':
      return `replace ${String(op.search)} -> ${op.replacement}`;
    case 'remove':
      return `remove ${op.path}`;
    case 'add':
      return `add under ${op.path}`;
  }
}
