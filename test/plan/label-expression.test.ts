import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { jenkinsLabel, labelMatches, labelName, parseLabelExpression, parseLabelString, unquote, type LabelExpr } from '../../src/model/label-expression.js';

const nodeWith = (...atoms: string[]): Set<string> => new Set(atoms);
const parsed = (s: string): LabelExpr => {
  const r = parseLabelExpression(s);
  if (!r.ok) throw new Error(`${s}: ${r.message}`);
  return r.expr;
};

describe('label expressions (Jenkins LabelExpression grammar)', () => {
  it('precedence: ! binds tightest, then &&, ||, ->, <->', () => {
    const linux = nodeWith('linux');
    const docker = nodeWith('docker');
    expect(labelMatches(parsed('linux || docker && arm'), linux)).toBe(true); // linux || (docker && arm)
    expect(labelMatches(parsed('(linux || docker) && arm'), linux)).toBe(false);
    expect(labelMatches(parsed('!linux && docker'), docker)).toBe(true);
    expect(labelMatches(parsed('!(linux && docker)'), nodeWith('linux', 'docker'))).toBe(false);
    expect(labelMatches(parsed('linux -> docker'), nodeWith('windows'))).toBe(true);
    expect(labelMatches(parsed('linux -> docker'), linux)).toBe(false);
    expect(labelMatches(parsed('linux <-> docker'), nodeWith())).toBe(true);
    expect(labelMatches(parsed('linux <-> docker'), linux)).toBe(false);
    expect(labelMatches(parsed('a || b -> c'), nodeWith('a', 'c'))).toBe(true); // (a||b) -> c
  });

  it('atoms: any run of characters but operators, quotes, parentheses, space and tab; a - only when no > follows', () => {
    expect(labelAtomsOf('ubuntu-22.04&&x86_64')).toEqual(['ubuntu-22.04', 'x86_64']);
    expect(labelAtomsOf('a->b')).toEqual(['a', 'b']);
    expect(labelAtomsOf('-x')).toEqual(['-x']);
    expect(labelAtomsOf('"my label" || other')).toEqual(['my label', 'other']);
    expect(labelAtomsOf('"q\\"uote"')).toEqual(['q"uote']);
  });

  it('refuses what Jenkins refuses (chained ->, dangling operators, single & or |, unbalanced parentheses)', () => {
    for (const bad of ['a -> b -> c', 'a &&', '&& a', 'a & b', 'a | b', '(a', 'a)', '', '!!a', 'a b', '"open']) {
      expect(parseLabelExpression(bad).ok, bad).toBe(false);
    }
  });

  it('an expression that does not parse is one label atom (Jenkins.getLabel), after unquoting', () => {
    expect(jenkinsLabel('my label')).toEqual({ kind: 'atom', name: 'my label' });
    expect(jenkinsLabel('"linux"')).toEqual({ kind: 'atom', name: 'linux' });
    expect(jenkinsLabel('a -> b -> c')).toEqual({ kind: 'atom', name: 'a -> b -> c' });
    expect(unquote("'it''s'")).toBe("it''s");
  });

  it("label names as Jenkins prints them ('Waiting for next available executor on ‘linux&&docker’')", () => {
    expect(labelName(parsed('linux && docker'))).toBe('linux&&docker');
    expect(labelName(parsed('linux  ||  (docker && arm)'))).toBe('linux||(docker&&arm)');
    expect(labelName(parsed('!linux'))).toBe('!linux');
    expect(labelName(parsed('"my label" && x'))).toBe('"my label"&&x');
    expect(labelName(parsed('a && b || c'))).toBe('a&&b||c');
    expect(labelName(jenkinsLabel('linux'))).toBe('linux');
  });

  it('node label strings split like QuotedStringTokenizer', () => {
    expect(parseLabelString('linux  docker\tx86_64')).toEqual(['linux', 'docker', 'x86_64']);
    expect(parseLabelString('"big box" linux')).toEqual(['big box', 'linux']);
    expect(parseLabelString('')).toEqual([]);
  });

  it('property: re-parsing a label name gives an expression that matches the same nodes', () => {
    const atom = fc.constantFrom('linux', 'docker', 'arm', 'win', 'x-1');
    const expr: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
      e: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        atom,
        fc.tuple(tie('e'), fc.constantFrom('&&', '||', '<->'), tie('e')).map(([a, op, b]) => `(${a}) ${op} (${b})`),
        tie('e').map((a) => `!(${a})`),
      ),
    })).e;
    fc.assert(fc.property(expr, fc.subarray(['linux', 'docker', 'arm', 'win', 'x-1']), (src, atoms) => {
      const e = parsed(src);
      const again = parsed(labelName(e));
      return labelMatches(e, new Set(atoms)) === labelMatches(again, new Set(atoms));
    }), { numRuns: 300 });
  });
});

function labelAtomsOf(s: string): string[] {
  const out: string[] = [];
  const walk = (e: LabelExpr): void => {
    if (e.kind === 'atom') out.push(e.name);
    else if (e.kind === 'not' || e.kind === 'paren') walk(e.operand);
    else {
      walk(e.left);
      walk(e.right);
    }
  };
  walk(parsed(s));
  return out;
}
