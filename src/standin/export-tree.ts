/**
 * Stapler's export engine, reduced to what the stand-in serves: beans with ordered properties and
 * visibilities, pruned either by `tree` (NamedPathPruner) or by `depth` (TreePruner.ByDepth).
 */

export type ExportValue = null | string | number | boolean | ExportValue[] | Bean;
export interface Prop<T> {
  name: string;
  /** Stapler visibility (default 1; name/url 999; color 2 ...). */
  vis: number;
  get(obj: T): ExportValue;
}
export class Bean {
  constructor(
    /** `_class`; null for objects Stapler prints without one. */
    readonly cls: string | null,
    readonly props: ReadonlyArray<Prop<never>>,
    readonly obj: unknown,
  ) {}
  static of<T>(cls: string | null, props: ReadonlyArray<Prop<T>>, obj: T): Bean {
    return new Bean(cls, props as unknown as ReadonlyArray<Prop<never>>, obj);
  }
}

export class TreeSyntaxError extends Error {}

export interface TreeNode {
  /** children by property name; `*` matches any */
  children: Map<string, TreeNode>;
  range?: [number, number];
}

/** Parse a `tree` expression: `jobs[name,url,jobs[name]]{0,5},views[name]`. */
export function parseTree(expr: string): TreeNode {
  let i = 0;
  const s = expr;
  const fail = (): never => {
    throw new TreeSyntaxError(`Malformed tree expression: ${expr}`);
  };
  const parseList = (): Map<string, TreeNode> => {
    const map = new Map<string, TreeNode>();
    for (;;) {
      const m = /^\s*([^\s\[\]{},]+)\s*/.exec(s.slice(i));
      if (!m) fail();
      i += m![0].length;
      const node: TreeNode = { children: new Map() };
      if (s[i] === '[') {
        i++;
        node.children = parseList();
        if (s[i] !== ']') fail();
        i++;
      }
      while (s[i] === ' ') i++;
      if (s[i] === '{') {
        const end = s.indexOf('}', i);
        if (end < 0) fail();
        const body = s.slice(i + 1, end).trim();
        let r: [number, number] | undefined;
        let mm: RegExpExecArray | null;
        if ((mm = /^(\d+)$/.exec(body))) r = [Number(mm[1]), Number(mm[1]) + 1];
        else if ((mm = /^(\d*)\s*,\s*(\d*)$/.exec(body)) && (mm[1] !== '' || mm[2] !== '')) {
          r = [mm[1] === '' ? 0 : Number(mm[1]), mm[2] === '' ? Number.MAX_SAFE_INTEGER : Number(mm[2])];
        } else fail();
        node.range = r;
        i = end + 1;
      }
      map.set(m![1]!, node);
      while (s[i] === ' ') i++;
      if (s[i] === ',') {
        i++;
        continue;
      }
      return map;
    }
  };
  const children = parseList();
  if (i !== s.length) fail();
  return { children };
}

export type Pruner = { kind: 'tree'; node: TreeNode | null } | { kind: 'depth'; depth: number; level: number };

function jsonString(s: string): string {
  // JSON.stringify escapes control chars and lone surrogates as \uXXXX and keeps other non-ASCII raw.
  return JSON.stringify(s);
}

function writeValue(v: ExportValue, p: Pruner, out: string[], range?: [number, number]): void {
  if (v === null) {
    out.push('null');
  } else if (typeof v === 'string') {
    out.push(jsonString(v));
  } else if (typeof v === 'number') {
    out.push(Number.isFinite(v) ? String(v) : 'null');
  } else if (typeof v === 'boolean') {
    out.push(v ? 'true' : 'false');
  } else if (Array.isArray(v)) {
    const arr = range ? v.slice(range[0], Math.min(range[1], v.length)) : v;
    out.push('[');
    for (let k = 0; k < arr.length; k++) {
      if (k > 0) out.push(',');
      writeValue(arr[k]!, p, out);
    }
    out.push(']');
  } else {
    writeBean(v, p, out);
  }
}

/** Write one bean with the pruner that applies to its own properties. */
export function writeBean(b: Bean, p: Pruner, out: string[]): void {
  out.push('{');
  let first = true;
  if (b.cls !== null) {
    out.push('"_class":', jsonString(b.cls));
    first = false;
  }
  for (const prop of b.props) {
    let childPruner: Pruner;
    let range: [number, number] | undefined;
    if (p.kind === 'tree') {
      if (!p.node) break; // no brackets: nothing inside
      const sel = p.node.children.get(prop.name) ?? p.node.children.get('*');
      if (!sel) continue;
      childPruner = { kind: 'tree', node: sel.children.size > 0 ? sel : null };
      range = sel.range;
    } else {
      if (prop.vis < p.level - p.depth) continue;
      childPruner = { kind: 'depth', depth: p.depth, level: p.level + 1 };
    }
    const value = prop.get(b.obj as never);
    if (!first) out.push(',');
    first = false;
    out.push(jsonString(prop.name), ':');
    writeValue(value, childPruner, out, range);
  }
  out.push('}');
}

/** Serialise a top-level bean for `api/json` with `tree` (wins) or `depth`. */
export function exportJson(bean: Bean, tree: string | undefined, depth: number): string {
  const out: string[] = [];
  const pruner: Pruner = tree !== undefined ? { kind: 'tree', node: parseTree(tree) } : { kind: 'depth', depth, level: 1 };
  writeBean(bean, pruner, out);
  return out.join('');
}
