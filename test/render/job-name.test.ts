import { describe, expect, it } from 'vitest';
import { checkGoodName } from '../../src/render/job-name.js';

describe('checkGoodName (Jenkins rules)', () => {
  it('accepts ordinary and unusual-but-allowed names', () => {
    for (const n of ['a', 'payments-CI-build-trunk', 'a b', 'x.y', '+-_=,\'"(){}~`', 'café', '日本', '.hidden']) expect(checkGoodName(n)).toBeUndefined();
  });
  it('refuses each unsafe character wherever it is', () => {
    for (const c of '?*/\\%!@#$^&|<>[]:;') {
      for (const n of [`${c}ab`, `a${c}b`, `ab${c}`, c]) expect(checkGoodName(n)).toBe(`‘${c}’ is an unsafe character`);
    }
  });
  it('refuses empty, dot names, a trailing dot, control characters, surrounding space', () => {
    expect(checkGoodName('')).toBe('No name is specified');
    expect(checkGoodName('.')).toBe('“.” is not an allowed name');
    expect(checkGoodName(' .. ')).toBe('“..” is not an allowed name');
    expect(checkGoodName('ab.')).toBe('A name cannot end with ‘.’');
    expect(checkGoodName('a\tb')).toBe('No control code is allowed: a\\u9;b');
    expect(checkGoodName('a\u0085')).toMatch(/^No control code is allowed/);
    expect(checkGoodName(' ab')).toMatch(/whitespace/);
    expect(checkGoodName('ab ')).toMatch(/whitespace/);
  });
});
