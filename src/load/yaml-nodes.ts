/**
 * Light YAML node objects for the fast path (src/load/yaml-fast-path.ts), so that loading plain
 * definitions does not load the `yaml` library at all (about 0.12 s of CPU at start-up).
 *
 * They carry the `yaml` library's own identity tags (`Symbol.for('yaml.node.type')`), so the library's
 * `isMap`/`isScalar`/`isSeq`/`isPair` and the ones below accept both kinds alike; the loaders only
 * read `items`, `key`, `value`, `type`, `flow` and `range`. `LineCounter` has the library's contract
 * (`lineStarts`, `addNewLine`, `linePos`).
 */
import type { Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';

const NODE_TYPE = Symbol.for('yaml.node.type');
const MAP = Symbol.for('yaml.map');
const PAIR = Symbol.for('yaml.pair');
const SCALAR = Symbol.for('yaml.scalar');
const SEQ = Symbol.for('yaml.seq');

type Range = [number, number, number];

export class LiteScalar {
  declare readonly [NODE_TYPE]: symbol;
  type?: 'PLAIN' | 'QUOTE_SINGLE' | 'QUOTE_DOUBLE';
  range?: Range;
  constructor(public value: string) {}
}
export class LitePair {
  declare readonly [NODE_TYPE]: symbol;
  constructor(
    public key: LiteScalar,
    public value: LiteNode,
  ) {}
}
export class LiteMap {
  declare readonly [NODE_TYPE]: symbol;
  items: LitePair[] = [];
  range?: Range;
}
export class LiteSeq {
  declare readonly [NODE_TYPE]: symbol;
  items: Array<LiteScalar | LiteMap | LiteSeq> = [];
  flow?: boolean;
  range?: Range;
}
export type LiteNode = LiteScalar | LiteMap | LiteSeq;

// The tag lives on the prototype (as in the library, where it is set per instance: either is read the same way).
for (const [cls, tag] of [
  [LiteScalar, SCALAR],
  [LitePair, PAIR],
  [LiteMap, MAP],
  [LiteSeq, SEQ],
] as const) {
  Object.defineProperty(cls.prototype, NODE_TYPE, { value: tag });
}

const tagOf = (node: unknown): unknown => (node && typeof node === 'object' ? (node as Record<symbol, unknown>)[NODE_TYPE] : undefined);
/** Same tests as the `yaml` library's, for its nodes and for these. */
// (Typed as the library's guards: the loaders read only the fields both kinds have.)
export const isMap = (node: unknown): node is YAMLMap<unknown, unknown> => tagOf(node) === MAP;
export const isSeq = (node: unknown): node is YAMLSeq<unknown> => tagOf(node) === SEQ;
export const isScalar = (node: unknown): node is Scalar<unknown> => tagOf(node) === SCALAR;
export const isPair = (node: unknown): node is Pair<unknown, unknown> => tagOf(node) === PAIR;

/** Offsets of line starts; 1-based `{ line, col }` of an offset (the `yaml` library's LineCounter contract). */
export class LineCounter {
  lineStarts: number[] = [];
  addNewLine = (offset: number): number => this.lineStarts.push(offset);
  linePos = (offset: number): { line: number; col: number } => {
    let low = 0;
    let high = this.lineStarts.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.lineStarts[mid]! < offset) low = mid + 1;
      else high = mid;
    }
    if (this.lineStarts[low] === offset) return { line: low + 1, col: 1 };
    if (low === 0) return { line: 0, col: offset };
    const start = this.lineStarts[low - 1]!;
    return { line: low, col: offset - start + 1 };
  };
}
