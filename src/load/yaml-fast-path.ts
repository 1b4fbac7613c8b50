/**
 * A fast reader for the plain YAML that definitions are almost always written in: block mappings
 * with simple keys, block sequences (of scalars or of mappings), one-line flow sequences, plain and
 * quoted one-line scalars, comments. It builds the same nodes (with the same positions) as the `yaml`
 * library with the failsafe schema, an order of magnitude faster, and gives up (returns undefined)
 * on anything else - anchors, tags, block scalars, flow mappings, escapes, multi-line scalars,
 * duplicate keys, any error - so the `yaml` library handles (and reports) those. A differential test
 * checks the two agree.
 */
import { LineCounter, LitePair as Pair, LiteScalar as Scalar, LiteMap as YAMLMap, LiteSeq as YAMLSeq } from './yaml-nodes.js';

type Node = Scalar | YAMLMap | YAMLSeq;

interface Line {
  indent: number;
  /** Offset of the first non-space character. */
  offset: number;
  content: string;
  /** Offset just past the line's last character (before the newline). */
  end: number;
}

class GiveUp extends Error {}
const giveUp = (): never => {
  throw new GiveUp();
};

/**
 * The length of the simple key a line starts with (`[A-Za-z0-9_][A-Za-z0-9_.-]*` followed by `:` and
 * a space or the end of the line), or -1. (A loop rather than a regular expression: it runs for every
 * line of thousands of files.)
 */
function keyLength(content: string): number {
  const n = content.length;
  let k = 0;
  for (; k < n; k++) {
    const c = content.charCodeAt(k);
    const word = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95; // a-z A-Z 0-9 _
    if (!(word || (k > 0 && (c === 46 || c === 45)))) break; // . - (not first)
  }
  if (k === 0 || k >= n || content.charCodeAt(k) !== 58 /* : */) return -1;
  return k + 1 === n || content.charCodeAt(k + 1) === 32 ? k : -1;
}

/** `text` without its leading spaces. */
function skipSpaces(text: string): string {
  let k = 0;
  while (text.charCodeAt(k) === 32) k++;
  return k === 0 ? text : text.slice(k);
}
const BAD_PLAIN_START = /^[-?:,[\]{}#&*!|>'"%@`]/;

export function parseSimpleYaml(text: string): { contents: Node | null; lines: LineCounter } | undefined {
  if (text.includes('\t') || text.includes('\r') || text.charCodeAt(0) === 0xfeff) return undefined;
  const lc = new LineCounter();
  lc.addNewLine(0);
  const lines: Line[] = [];
  let start = 0;
  while (start <= text.length) {
    let nl = text.indexOf('\n', start);
    if (nl < 0) nl = text.length;
    if (nl < text.length) lc.addNewLine(nl + 1);
    let k = start;
    while (k < nl && text.charCodeAt(k) === 32) k++;
    if (k < nl && text.charCodeAt(k) !== 35 /* # */) {
      const content = text.slice(k, nl);
      if (k === start && (content.startsWith('---') || content.startsWith('...') || content.startsWith('%'))) return undefined;
      lines.push({ indent: k - start, offset: k, content, end: nl });
    }
    if (nl >= text.length) break;
    start = nl + 1;
  }
  if (lines.length === 0) return undefined;
  try {
    const state = { i: 0 };
    const first = lines[0]!;
    if (first.indent !== 0) return undefined;
    const contents = parseBlock(lines, state, 0);
    if (state.i !== lines.length) return undefined;
    return { contents, lines: lc };
  } catch (e) {
    if (e instanceof GiveUp) return undefined;
    throw e;
  }
}

function isSeqLine(l: Line): boolean {
  return l.content === '-' || l.content.startsWith('- ');
}

function parseBlock(lines: Line[], state: { i: number }, indent: number): Node {
  const l = lines[state.i]!;
  if (isSeqLine(l)) return parseSeq(lines, state, indent);
  if (keyLength(l.content) >= 0) return parseMap(lines, state, indent);
  return giveUp();
}

function parseMap(lines: Line[], state: { i: number }, indent: number): YAMLMap {
  const map = new YAMLMap();
  /** The keys so far, once there are many (a few are compared one by one: most maps have a few). */
  let keys: Set<string> | undefined;
  let end = 0;
  const startOffset = lines[state.i]!.offset;
  while (state.i < lines.length) {
    const l = lines[state.i]!;
    if (l.indent < indent) break;
    if (l.indent > indent || isSeqLine(l)) giveUp();
    const keyEnd = keyLength(l.content);
    if (keyEnd < 0) giveUp();
    const keyText = l.content.slice(0, keyEnd);
    if (map.items.length < 16) {
      for (const p of map.items) if (p.key.value === keyText) giveUp();
    } else {
      keys ??= new Set(map.items.map((p) => p.key.value));
      if (keys.has(keyText)) giveUp();
      keys.add(keyText);
    }
    const key = new Scalar(keyText);
    key.range = [l.offset, l.offset + keyText.length, l.offset + keyText.length];
    const afterColon = l.offset + keyText.length + 1;
    let rest = l.content.slice(keyText.length + 1);
    const trimmed = skipSpaces(rest);
    const restOffset = afterColon + (rest.length - trimmed.length);
    rest = trimmed;
    state.i++;
    let value: Node;
    if (rest === '' || rest.startsWith('#')) {
      const next = lines[state.i];
      if (next && (next.indent > indent || (next.indent === indent && isSeqLine(next)))) {
        value = parseBlock(lines, state, next.indent);
      } else {
        value = new Scalar('');
        value.range = [restOffset, restOffset, rest === '' ? restOffset : l.end];
      }
    } else {
      value = inlineValue(rest, restOffset);
      const next = lines[state.i];
      if (next && next.indent > indent) giveUp();
    }
    map.items.push(new Pair(key, value));
    end = value.range?.[2] ?? end;
  }
  map.range = [startOffset, end, end];
  return map;
}

function parseSeq(lines: Line[], state: { i: number }, indent: number): YAMLSeq {
  const seq = new YAMLSeq();
  const startOffset = lines[state.i]!.offset;
  let end = 0;
  while (state.i < lines.length) {
    const l = lines[state.i]!;
    if (l.indent < indent) break;
    if (l.indent > indent || !isSeqLine(l)) giveUp();
    const body = l.content.slice(1);
    const item = skipSpaces(body);
    if (item === '' || item.startsWith('#')) giveUp();
    const itemIndent = l.indent + 1 + (body.length - item.length);
    const itemOffset = l.offset + 1 + (body.length - item.length);
    let value: Node;
    if (keyLength(item) >= 0) {
      // A mapping inside the item: its keys line up at itemIndent.
      lines[state.i] = { indent: itemIndent, offset: itemOffset, content: item, end: l.end };
      value = parseMap(lines, state, itemIndent);
    } else {
      value = inlineValue(item, itemOffset);
      state.i++;
      const next = lines[state.i];
      if (next && next.indent > indent) giveUp();
    }
    seq.items.push(value);
    end = value.range?.[2] ?? end;
  }
  seq.range = [startOffset, end, end];
  return seq;
}

/** A one-line value (plain, quoted, or a flow sequence of such), with any trailing comment. */
function inlineValue(text: string, offset: number): Scalar | YAMLSeq {
  if (text.startsWith('[')) return flowSeq(text, offset);
  const s = scalarAt(text, offset);
  const tail = text.slice(s.length);
  if (tail !== '' && !/^ +(#.*)?$/.test(tail)) giveUp();
  const node = s.node;
  node.range = [offset, offset + s.length, offset + s.length];
  return node;
}

/** A scalar at the start of text: returns the node and how many characters it took (trailing spaces excluded). */
function scalarAt(text: string, offset: number, inFlow = false): { node: Scalar; length: number } {
  const c = text[0];
  if (c === "'") {
    let value = '';
    let k = 1;
    for (;;) {
      const q = text.indexOf("'", k);
      if (q < 0) giveUp();
      value += text.slice(k, q);
      if (text[q + 1] === "'") {
        value += "'";
        k = q + 2;
        continue;
      }
      k = q + 1;
      break;
    }
    const node = new Scalar(value);
    node.type = 'QUOTE_SINGLE';
    node.range = [offset, offset + k, offset + k];
    return { node, length: k };
  }
  if (c === '"') {
    const q = text.indexOf('"', 1);
    if (q < 0) giveUp();
    const value = text.slice(1, q);
    if (value.includes('\\')) giveUp();
    const node = new Scalar(value);
    node.type = 'QUOTE_DOUBLE';
    node.range = [offset, offset + q + 1, offset + q + 1];
    return { node, length: q + 1 };
  }
  if (c === undefined || BAD_PLAIN_START.test(text)) giveUp();
  // Plain: up to ' #' (a comment), ': ' or end; in a flow sequence also up to ',' or ']'.
  let stop = text.length;
  const hash = text.indexOf(' #');
  if (hash >= 0) stop = hash;
  let value = text.slice(0, stop);
  if (inFlow) {
    const m = /[,\]]/.exec(value);
    if (m) value = value.slice(0, m.index);
    if (/[[{}]/.test(value)) giveUp();
  }
  let end = value.length;
  while (end > 0 && value.charCodeAt(end - 1) === 32) end--;
  if (end < value.length) value = value.slice(0, end);
  if (value.includes(': ') || value.endsWith(':')) giveUp();
  const node = new Scalar(value);
  node.type = 'PLAIN';
  node.range = [offset, offset + value.length, offset + value.length];
  return { node, length: value.length };
}

function flowSeq(text: string, offset: number): YAMLSeq {
  const seq = new YAMLSeq();
  seq.flow = true;
  let k = 1;
  const skip = (): void => {
    while (text[k] === ' ') k++;
  };
  skip();
  if (text[k] === ']') {
    k++;
  } else {
    for (;;) {
      skip();
      const s = scalarAt(text.slice(k), offset + k, true);
      if (s.length === 0) giveUp();
      s.node.range = [offset + k, offset + k + s.length, offset + k + s.length];
      seq.items.push(s.node);
      k += s.length;
      skip();
      if (text[k] === ',') {
        k++;
        skip();
        if (text[k] === ']') giveUp();
        continue;
      }
      if (text[k] === ']') {
        k++;
        break;
      }
      giveUp();
    }
  }
  const tail = text.slice(k);
  if (tail !== '' && !/^ +(#.*)?$/.test(tail)) giveUp();
  seq.range = [offset, offset + k, offset + k];
  return seq;
}
