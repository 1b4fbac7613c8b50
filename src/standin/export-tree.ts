/**
 * Stapler's export engine, reduced to what the stand-in serves: beans with ordered properties and
 * visibilities, pruned either by `tree` (NamedPathPruner) or by `depth` (TreePruner.ByDepth).
 */

export type ExportValue = null | string | number | boolean | ExportValue[] | Bean;
export interface Prop<T> {
  name: string;
  /** Stapler visibility (default 1; name/url 999; color 2 ...). */
  vis: number;
  /** `@Exported(inline = true)`: its value is pruned at the owner's depth (queue items, computers). */
  inline?: boolean;
  get(obj: T): ExportValue;
}
/** Rendered JSON of one object per pruner, valid while `epoch` and `tag` match. */
export type FragmentCache = WeakMap<Pruner, { tag: string; epoch: number; s: string }>;

export class Bean {
  /** Optional cache of this object's rendering (set by exporters for unchanging objects). */
  cache?: { holder: FragmentCache; tag: string; epoch: number };
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

/** One selected property with the pruner for its value (computed once per tree node and bean type). */
interface Step {
  prop: Prop<never>;
  key: string;
  child: Pruner;
  range?: [number, number];
}
const treePlans = new WeakMap<TreeNode, Map<ReadonlyArray<Prop<never>>, Step[]>>();
const depthPlans = new Map<string, Map<ReadonlyArray<Prop<never>>, Step[]>>();
const NO_INNER: Pruner = { kind: 'tree', node: null };
const depthPruners = new Map<string, Pruner>();

function depthPruner(depth: number, level: number): Pruner {
  const k = `${depth}/${level}`;
  let p = depthPruners.get(k);
  if (!p) depthPruners.set(k, (p = { kind: 'depth', depth, level }));
  return p;
}

function planFor(props: ReadonlyArray<Prop<never>>, p: Pruner): Step[] {
  let byProps: Map<ReadonlyArray<Prop<never>>, Step[]> | undefined;
  if (p.kind === 'tree') {
    if (!p.node) return [];
    byProps = treePlans.get(p.node);
    if (!byProps) treePlans.set(p.node, (byProps = new Map()));
  } else {
    const k = `${p.depth}/${p.level}`;
    byProps = depthPlans.get(k);
    if (!byProps) depthPlans.set(k, (byProps = new Map()));
  }
  let plan = byProps.get(props);
  if (plan) return plan;
  plan = [];
  for (const prop of props) {
    if (p.kind === 'tree') {
      const sel = p.node!.children.get(prop.name) ?? p.node!.children.get('*');
      if (!sel) continue;
      const step: Step = { prop, key: jsonString(prop.name) + ':', child: sel.children.size > 0 ? { kind: 'tree', node: sel } : NO_INNER };
      if (sel.range) step.range = sel.range;
      plan.push(step);
    } else {
      if (prop.vis < p.level - p.depth) continue;
      plan.push({ prop, key: jsonString(prop.name) + ':', child: prop.inline ? p : depthPruner(p.depth, p.level + 1) });
    }
  }
  byProps.set(props, plan);
  return plan;
}

class Out {
  s = '';
}

function writeValue(v: ExportValue, p: Pruner, out: Out, range?: [number, number]): void {
  if (v === null) {
    out.s += 'null';
  } else if (typeof v === 'string') {
    out.s += jsonString(v);
  } else if (typeof v === 'number') {
    out.s += Number.isFinite(v) ? String(v) : 'null';
  } else if (typeof v === 'boolean') {
    out.s += v ? 'true' : 'false';
  } else if (Array.isArray(v)) {
    const from = range ? range[0] : 0;
    const to = range ? Math.min(range[1], v.length) : v.length;
    out.s += '[';
    for (let k = from; k < to; k++) {
      if (k > from) out.s += ',';
      writeValue(v[k]!, p, out);
    }
    out.s += ']';
  } else {
    writeBeanTo(v, p, out);
  }
}

function writeBeanTo(b: Bean, p: Pruner, out: Out): void {
  const c = b.cache;
  if (c) {
    const hit = c.holder.get(p);
    if (hit && hit.epoch === c.epoch && hit.tag === c.tag) {
      out.s += hit.s;
      return;
    }
    const o = new Out();
    renderBean(b, p, o);
    c.holder.set(p, { tag: c.tag, epoch: c.epoch, s: o.s });
    out.s += o.s;
    return;
  }
  renderBean(b, p, out);
}

function renderBean(b: Bean, p: Pruner, out: Out): void {
  let first = true;
  if (b.cls !== null) {
    out.s += '{"_class":' + jsonString(b.cls);
    first = false;
  } else out.s += '{';
  for (const step of planFor(b.props, p)) {
    const value = step.prop.get(b.obj as never);
    out.s += first ? step.key : ',' + step.key;
    first = false;
    writeValue(value, step.child, out, step.range);
  }
  out.s += '}';
}

/** Write one bean with the pruner that applies to its own properties. */
export function writeBean(b: Bean, p: Pruner, out: string[]): void {
  const o = new Out();
  writeBeanTo(b, p, o);
  out.push(o.s);
}

/** Serialise a top-level bean for `api/json` with `tree` (wins) or `depth`. */
const parsedTrees = new Map<string, Pruner>();

/** Parsed `tree` expressions are kept (bounded) so plans and fragment caches survive across requests. */
function treePruner(tree: string): Pruner {
  let p = parsedTrees.get(tree);
  if (!p) {
    p = { kind: 'tree', node: parseTree(tree) };
    if (parsedTrees.size >= 256) parsedTrees.clear();
    parsedTrees.set(tree, p);
  }
  return p;
}

export function exportJson(bean: Bean, tree: string | undefined, depth: number): string {
  const pruner: Pruner = tree !== undefined ? treePruner(tree) : depthPruner(depth, 1);
  const out = new Out();
  writeBeanTo(bean, pruner, out);
  return out.s;
}
