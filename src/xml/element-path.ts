import type { XmlElementNode } from './positions.js';

/**
 * XPath-like element paths for bulk edits and selection conditions.
 *
 *   assignedNode                          child of the root element
 *   scm/locations/hudson.scm.SubversionSCM_-ModuleLocation/remote
 *   /project/assignedNode                 absolute: the first step names the root element
 *   //hudson.tasks.Maven/targets          `//` = at any depth
 *   builders/*[2]                         `*` any element, `[n]` n-th match among siblings (1-based)
 *   scm[@class='hudson.scm.SubversionSCM'] attribute test; `[@class]` attribute present
 *   publishers/*[name='x']                child-text test
 *   scm/@class                            the attribute itself (last step only)
 */
export type Predicate =
  | { kind: 'index'; index: number }
  | { kind: 'attr'; name: string; value?: string }
  | { kind: 'child'; name: string; value: string };

export interface PathStep {
  /** `//` before this step. */
  descendant: boolean;
  /** Element name or `*`. */
  name: string;
  predicates: Predicate[];
}

export interface ElementPath {
  source: string;
  absolute: boolean;
  steps: PathStep[];
  /** Trailing `/@name`: the path addresses an attribute of the selected elements. */
  attribute?: string;
}

export class PathSyntaxError extends Error {
  override name = 'PathSyntaxError';
}

const NAME = /^[A-Za-z_:][-A-Za-z0-9_.:\u00B7-\uFFFF]*/;

export function parsePath(source: string): ElementPath {
  const src = source.trim();
  if (src === '') throw new PathSyntaxError('empty path');
  let i = 0;
  const steps: PathStep[] = [];
  let absolute = false;
  let attribute: string | undefined;
  const fail = (msg: string): never => {
    throw new PathSyntaxError(`bad path '${source}': ${msg} at column ${i + 1}`);
  };
  let first = true;
  while (i < src.length) {
    let descendant = false;
    if (src.startsWith('//', i)) {
      descendant = true;
      i += 2;
      if (first) absolute = true;
    } else if (src[i] === '/') {
      i += 1;
      if (first) absolute = true;
    } else if (!first) fail("expected '/'");
    first = false;
    if (src[i] === '@') {
      i++;
      const m = NAME.exec(src.slice(i));
      if (!m) fail('expected an attribute name');
      attribute = m![0];
      i += attribute.length;
      if (i < src.length) fail('an attribute must be the last step');
      break;
    }
    let name: string;
    if (src[i] === '*') {
      name = '*';
      i++;
    } else {
      const m = NAME.exec(src.slice(i));
      if (!m) fail('expected an element name');
      name = m![0];
      i += name.length;
    }
    const predicates: Predicate[] = [];
    while (src[i] === '[') {
      const close = findClose(src, i);
      if (close < 0) fail("missing ']'");
      predicates.push(parsePredicate(src.slice(i + 1, close), source));
      i = close + 1;
    }
    steps.push({ descendant, name, predicates });
  }
  if (steps.length === 0) fail('no element step');
  return attribute === undefined ? { source, absolute, steps } : { source, absolute, steps, attribute };
}

function findClose(src: string, open: number): number {
  let quote: string | undefined;
  for (let k = open + 1; k < src.length; k++) {
    const c = src[k]!;
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === ']') return k;
  }
  return -1;
}

function unquote(v: string, source: string): string {
  const t = v.trim();
  if ((t.startsWith("'") && t.endsWith("'")) || (t.startsWith('"') && t.endsWith('"'))) {
    if (t.length >= 2) return t.slice(1, -1);
  }
  throw new PathSyntaxError(`bad path '${source}': value ${t} must be quoted`);
}

function parsePredicate(body: string, source: string): Predicate {
  const b = body.trim();
  if (/^\d+$/.test(b)) {
    const index = Number(b);
    if (index < 1) throw new PathSyntaxError(`bad path '${source}': positions start at 1`);
    return { kind: 'index', index };
  }
  const eq = b.indexOf('=');
  const lhs = (eq < 0 ? b : b.slice(0, eq)).trim();
  if (lhs.startsWith('@')) {
    const name = lhs.slice(1);
    if (!NAME.test(name)) throw new PathSyntaxError(`bad path '${source}': bad attribute name '${name}'`);
    return eq < 0 ? { kind: 'attr', name } : { kind: 'attr', name, value: unquote(b.slice(eq + 1), source) };
  }
  if (eq > 0 && NAME.exec(lhs)?.[0] === lhs) return { kind: 'child', name: lhs, value: unquote(b.slice(eq + 1), source) };
  throw new PathSyntaxError(`bad path '${source}': unsupported predicate [${body}]`);
}

/** Concatenated decoded text of an element and its descendants (like XPath string()). */
export type TextOf = (el: XmlElementNode) => string;

function matchesStep(el: XmlElementNode, step: PathStep, textOf: TextOf): boolean {
  if (step.name !== '*' && el.name !== step.name) return false;
  for (const p of step.predicates) {
    if (p.kind === 'attr') {
      const v = el.attrs[p.name];
      if (v === undefined || (p.value !== undefined && v !== p.value)) return false;
    } else if (p.kind === 'child') {
      if (!el.children.some((c) => c.name === p.name && textOf(c).trim() === p.value)) return false;
    }
  }
  return true;
}

function descendants(el: XmlElementNode, out: XmlElementNode[]): void {
  for (const c of el.children) {
    out.push(c);
    descendants(c, out);
  }
}

/** Elements selected by the path, in document order, without duplicates. */
export function selectElements(root: XmlElementNode, path: ElementPath, textOf: TextOf): XmlElementNode[] {
  // Context: a virtual document node whose only child is the root element.
  const doc: XmlElementNode = { ...root, name: '#document', children: [root], parent: undefined };
  let context: XmlElementNode[] = path.absolute ? [doc] : [root];
  for (const step of path.steps) {
    const next: XmlElementNode[] = [];
    const seen = new Set<XmlElementNode>();
    for (const ctx of context) {
      let candidates: XmlElementNode[];
      if (step.descendant) {
        candidates = [];
        descendants(ctx, candidates);
      } else candidates = ctx.children;
      const matched = candidates.filter((c) => matchesStep(c, step, textOf));
      const index = step.predicates.find((p): p is { kind: 'index'; index: number } => p.kind === 'index');
      const picked = index ? byIndex(matched, index.index, step.descendant) : matched;
      for (const m of picked) {
        if (!seen.has(m)) {
          seen.add(m);
          next.push(m);
        }
      }
    }
    context = next;
  }
  return context.sort((a, b) => a.start - b.start);
}

/** `[n]`: the n-th match among the matching siblings (per parent, as in XPath). */
function byIndex(matched: XmlElementNode[], n: number, perParent: boolean): XmlElementNode[] {
  if (!perParent) return matched[n - 1] ? [matched[n - 1]!] : [];
  const groups = new Map<XmlElementNode | undefined, XmlElementNode[]>();
  for (const m of matched) {
    const g = groups.get(m.parent) ?? [];
    g.push(m);
    groups.set(m.parent, g);
  }
  const out: XmlElementNode[] = [];
  for (const g of groups.values()) if (g[n - 1]) out.push(g[n - 1]!);
  return out;
}
