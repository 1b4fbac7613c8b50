/**
 * Jenkins label expressions (a job's `assignedNode`, "Restrict where this project can be run"), as
 * Jenkins parses and evaluates them:
 *  - grammar of `core/src/main/antlr4/hudson/model/labels/LabelExpression{Lexer,Parser}.g4`:
 *    `!` binds tightest, then `&&`, `||`, `->` (not chainable), `<->`; parentheses; atoms are runs of
 *    any characters but `& | ! < > ( ) " '` space and tab (a `-` only when no `>` follows);
 *    `"quoted atoms"` with backslash escapes; spaces and tabs between tokens are skipped;
 *  - an expression that does not parse is taken as one label atom (`Jenkins.getLabel`);
 *  - a node carries the atoms of its label string (split like `QuotedStringTokenizer`) plus its own
 *    name (the built-in node's is `built-in`);
 *  - a label's name is the expression re-written without spaces, operands parenthesised only where
 *    precedence needs it, atoms quoted when they are not good names (`LabelExpression`, `LabelAtom`).
 * Pure: no I/O, no Jenkins state.
 */

export type LabelExpr =
  | { kind: 'atom'; name: string }
  | { kind: 'not'; operand: LabelExpr }
  | { kind: 'paren'; operand: LabelExpr }
  | { kind: 'and' | 'or' | 'implies' | 'iff'; left: LabelExpr; right: LabelExpr };

export type LabelParse = { ok: true; expr: LabelExpr } | { ok: false; message: string; offset: number };

type Tok =
  | { t: 'and' | 'or' | 'not' | 'implies' | 'iff' | 'lparen' | 'rparen' | 'eof'; at: number }
  | { t: 'atom'; value: string; at: number };

class LabelSyntaxError extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
  }
}

const MAX_TOKENS = 2000;
const NOT_IN_ATOM = new Set(['&', '|', '!', '<', '>', '(', ')', ' ', '\t', '"', "'"]);
const STRING_ESCAPES: Record<string, string> = { b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', '"': '"', "'": "'", '\\': '\\' };

function lex(s: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    const at = i;
    if (s.startsWith('&&', i)) { out.push({ t: 'and', at }); i += 2; continue; }
    if (s.startsWith('||', i)) { out.push({ t: 'or', at }); i += 2; continue; }
    if (s.startsWith('<->', i)) { out.push({ t: 'iff', at }); i += 3; continue; }
    if (s.startsWith('->', i)) { out.push({ t: 'implies', at }); i += 2; continue; }
    if (c === '!') { out.push({ t: 'not', at }); i++; continue; }
    if (c === '(') { out.push({ t: 'lparen', at }); i++; continue; }
    if (c === ')') { out.push({ t: 'rparen', at }); i++; continue; }
    if (c === '"') {
      let v = '';
      let k = i + 1;
      for (;;) {
        if (k >= s.length) throw new LabelSyntaxError('unterminated quoted label', at);
        const d = s[k]!;
        if (d === '"') break;
        if (d === '\r' || d === '\n') throw new LabelSyntaxError('line break in a quoted label', k);
        if (d === '\\') {
          const e = STRING_ESCAPES[s[k + 1] ?? ''];
          if (e === undefined) throw new LabelSyntaxError('bad escape in a quoted label', k);
          v += e;
          k += 2;
          continue;
        }
        v += d;
        k++;
      }
      out.push({ t: 'atom', value: v, at });
      i = k + 1;
      continue;
    }
    let k = i;
    while (k < s.length) {
      const d = s[k]!;
      if (d === '-') {
        if (s[k + 1] === '>') break;
        k++;
        continue;
      }
      if (NOT_IN_ATOM.has(d)) break;
      k++;
    }
    if (k === i) throw new LabelSyntaxError(`unexpected '${c}'`, i);
    out.push({ t: 'atom', value: s.slice(i, k), at });
    i = k;
  }
  out.push({ t: 'eof', at: s.length });
  // Trees are at most as deep as the token count; keep recursion (parse, match, name) bounded.
  if (out.length > MAX_TOKENS) throw new LabelSyntaxError(`label expression longer than ${MAX_TOKENS} tokens`, 0);
  return out;
}

/** Parse a label expression exactly as Jenkins' grammar does (errors instead of Jenkins' fallback). */
export function parseLabelExpression(source: string): LabelParse {
  let toks: Tok[];
  try {
    toks = lex(source);
  } catch (e) {
    if (e instanceof LabelSyntaxError) return { ok: false, message: e.message, offset: e.offset };
    throw e;
  }
  let p = 0;
  const peek = (): Tok => toks[p]!;
  const fail = (what: string): never => {
    throw new LabelSyntaxError(what, peek().at);
  };
  const term6 = (): LabelExpr => {
    const t = peek();
    if (t.t === 'lparen') {
      p++;
      const inner = term1();
      if (peek().t !== 'rparen') fail("expected ')'");
      p++;
      return { kind: 'paren', operand: inner };
    }
    if (t.t === 'atom') {
      p++;
      return { kind: 'atom', name: t.value };
    }
    return fail(t.t === 'eof' ? 'expression ends too early' : 'expected a label or (');
  };
  const term5 = (): LabelExpr => {
    if (peek().t === 'not') {
      p++;
      return { kind: 'not', operand: term6() };
    }
    return term6();
  };
  const binary = (kind: 'and' | 'or' | 'iff', next: () => LabelExpr): LabelExpr => {
    let l = next();
    while (peek().t === kind) {
      p++;
      l = { kind, left: l, right: next() };
    }
    return l;
  };
  const term4 = (): LabelExpr => binary('and', term5);
  const term3 = (): LabelExpr => binary('or', term4);
  const term2 = (): LabelExpr => {
    const l = term3();
    if (peek().t !== 'implies') return l;
    p++;
    return { kind: 'implies', left: l, right: term3() };
  };
  const term1 = (): LabelExpr => binary('iff', term2);
  try {
    const expr = term1();
    if (peek().t !== 'eof') fail(peek().t === 'implies' ? "'->' cannot be chained: add parentheses" : 'unexpected text after the expression');
    return { ok: true, expr };
  } catch (e) {
    if (e instanceof LabelSyntaxError) return { ok: false, message: e.message, offset: e.offset };
    throw e;
  }
}

/** `QuotedStringTokenizer.unquote`: strip one pair of matching outer quotes and decode escapes. */
export function unquote(s: string): string {
  if (s.length < 2) return s;
  const first = s[0];
  if (first !== s[s.length - 1] || (first !== '"' && first !== "'")) return s;
  let out = '';
  for (let i = 1; i < s.length - 1; i++) {
    const c = s[i]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = s[++i];
    if (e === undefined || i >= s.length - 1) break;
    if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(s.slice(i + 1, i + 5))) {
      out += String.fromCharCode(parseInt(s.slice(i + 1, i + 5), 16));
      i += 4;
    } else out += ({ n: '\n', r: '\r', t: '\t', f: '\f', b: '\b' } as Record<string, string>)[e] ?? e;
  }
  return out;
}

/** The label `Jenkins.getLabel(assignedNode)` gives: unquoted, parsed, or one atom when it does not parse. */
export function jenkinsLabel(assignedNode: string): LabelExpr {
  const expr = unquote(assignedNode);
  const r = parseLabelExpression(expr);
  return r.ok ? r.expr : { kind: 'atom', name: expr };
}

/** Does a node carrying these label atoms match? */
export function labelMatches(e: LabelExpr, atoms: ReadonlySet<string>): boolean {
  switch (e.kind) {
    case 'atom': return atoms.has(e.name);
    case 'not': return !labelMatches(e.operand, atoms);
    case 'paren': return labelMatches(e.operand, atoms);
    case 'and': return labelMatches(e.left, atoms) && labelMatches(e.right, atoms);
    case 'or': return labelMatches(e.left, atoms) || labelMatches(e.right, atoms);
    case 'implies': return !labelMatches(e.left, atoms) || labelMatches(e.right, atoms);
    case 'iff': return labelMatches(e.left, atoms) === labelMatches(e.right, atoms);
  }
}

/** Every atom the expression names. */
export function labelAtoms(e: LabelExpr): string[] {
  switch (e.kind) {
    case 'atom': return [e.name];
    case 'not':
    case 'paren': return labelAtoms(e.operand);
    default: return [...labelAtoms(e.left), ...labelAtoms(e.right)];
  }
}

const UNSAFE = /[?*/\\%!@#$^&|<>[\]:;]/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** `LabelAtom.needsEscape`: not a good Jenkins name, or contains space, parentheses, tab or newline. */
function needsQuotes(name: string): boolean {
  const t = name.trim();
  if (name === '' || t === '.' || t === '..' || t.endsWith('.')) return true;
  return UNSAFE.test(name) || CONTROL.test(name) || /[ ()\t\n]/.test(name);
}

/** `QuotedStringTokenizer.quote`. */
function quote(s: string): string {
  return '"' + s.replace(/["\\\n\r\t\f\b]/g, (c) => ({ '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\f': '\\f', '\b': '\\b' })[c]!) + '"';
}

const PRECEDENCE: Record<LabelExpr['kind'], number> = { atom: 0, paren: 0, not: 1, and: 2, or: 3, implies: 4, iff: 5 };
const OPERATOR: Record<string, string> = { and: '&&', or: '||', implies: '->', iff: '<->' };

function expression(e: LabelExpr): string {
  switch (e.kind) {
    case 'atom': return needsQuotes(e.name) ? quote(e.name) : e.name;
    case 'paren': return `(${expression(e.operand)})`;
    case 'not': return '!' + operand(1, e.operand);
    default: return operand(PRECEDENCE[e.kind], e.left) + OPERATOR[e.kind] + operand(PRECEDENCE[e.kind], e.right);
  }
}
function operand(op: number, e: LabelExpr): string {
  return op < PRECEDENCE[e.kind] ? `(${expression(e)})` : expression(e);
}

/** `Label.getName()`: an atom's own name; an expression's canonical text (`linux&&!windows`). */
export function labelName(e: LabelExpr): string {
  return e.kind === 'atom' ? e.name : expression(e);
}

/** `Label.parse(labelString)`: a node's label string split into atoms (whitespace, quotes, backslash). */
export function parseLabelString(labels: string): string[] {
  const out: string[] = [];
  let i = 0;
  const s = labels;
  while (i < s.length) {
    while (i < s.length && ' \t\n\r'.includes(s[i]!)) i++;
    if (i >= s.length) break;
    let tok = '';
    let quote: string | null = null;
    for (; i < s.length; i++) {
      const c = s[i]!;
      if (quote === null && ' \t\n\r'.includes(c)) break;
      if (c === '\\') {
        const e = s[i + 1];
        if (e === undefined) break;
        if (!'\\"\' '.includes(e)) tok += '\\';
        tok += e;
        i++;
        continue;
      }
      if (quote === null && (c === '"' || c === "'")) {
        quote = c;
        continue;
      }
      if (quote !== null && c === quote) {
        quote = null;
        continue;
      }
      tok += c;
    }
    out.push(tok);
  }
  return [...new Set(out)];
}
