import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { branchJobName, branchSlug, isPlainBranchName, JOB_NAME_MAX } from '../../src/branches/branch-job-name.js';

/** Jenkins.checkGoodName (jenkins-api.md §3), as a predicate. */
function jenkinsGoodName(name: string): boolean {
  if (name === '') return false;
  const t = name.trim();
  if (t === '.' || t === '..') return false;
  for (const ch of name) {
    const c = ch.codePointAt(0) as number;
    if (c <= 0x1f || (c >= 0x7f && c <= 0x9f)) return false;
    if ('?*/\\%!@#$^&|<>[]:;'.includes(ch)) return false;
  }
  return !t.endsWith('.');
}

/** Git accepts a wide set of branch names; generate ones that look like real ones plus odd ones. */
const segment = fc.stringMatching(/^[A-Za-z0-9._+=,@{}~ -]{1,12}$/);
const branchArb = fc.oneof(
  fc.array(segment, { minLength: 1, maxLength: 4 }).map((s) => s.join('/')),
  fc.string({ minLength: 1, maxLength: 80 }),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }),
);

describe('branch slug', () => {
  it('keeps plain names as they are', () => {
    for (const b of ['main', 'develop', 'release-1.2', 'jira_123', 'v2']) {
      expect(isPlainBranchName(b)).toBe(true);
      expect(branchSlug(b)).toBe(b);
    }
  });

  it('hashes everything else, readable part first', () => {
    expect(branchSlug('feature/PAY-12')).toMatch(/^feature-pay-12\.[0-9a-f]{8}$/);
    expect(branchSlug('Main')).toMatch(/^main\.[0-9a-f]{8}$/);
    expect(branchSlug('ünïcode')).toMatch(/^n-code\.[0-9a-f]{8}$/);
    expect(branchSlug('日本')).toMatch(/^branch\.[0-9a-f]{8}$/);
    expect(branchSlug('x.')).toMatch(/^x\.[0-9a-f]{8}$/);
    expect(branchSlug('a'.repeat(41))).toMatch(/^a{31}\.[0-9a-f]{8}$/);
  });

  it('separates the classic collisions', () => {
    const pairs: Array<[string, string]> = [
      ['feature/a-b', 'feature-a/b'],
      ['feature/a', 'feature_a'],
      ['feature/a', 'feature-a'],
      ['Feature/X', 'feature/x'],
      ['MAIN', 'main'],
      ['a b', 'a-b'],
      ['x.', 'x'],
    ];
    for (const [a, b] of pairs) expect(branchSlug(a).toLowerCase()).not.toBe(branchSlug(b).toLowerCase());
  });

  it('a plain name shaped like a hashed slug is hashed too (no plain/hashed collision)', () => {
    const hashed = branchSlug('feature/x');
    expect(isPlainBranchName(hashed)).toBe(false);
    expect(branchSlug(hashed)).not.toBe(hashed);
  });

  it('property: deterministic, Jenkins-valid, bounded, lowercase', () => {
    fc.assert(
      fc.property(branchArb, (b) => {
        const s = branchSlug(b);
        expect(branchSlug(b)).toBe(s);
        expect(jenkinsGoodName(s)).toBe(true);
        expect(s.length).toBeLessThanOrEqual(40);
        expect(s).toBe(s.toLowerCase());
        expect(s).toMatch(/^[a-z0-9._-]+$/);
      }),
      { numRuns: 3000 },
    );
  });

  it('property: distinct branches get distinct slugs, also ignoring case', () => {
    fc.assert(
      fc.property(fc.uniqueArray(branchArb, { minLength: 2, maxLength: 60 }), (branches) => {
        const slugs = branches.map((b) => branchSlug(b).toLowerCase());
        expect(new Set(slugs).size).toBe(branches.length);
      }),
      { numRuns: 500 },
    );
  });

  it('property: a slug never depends on other branches (pure function of the name)', () => {
    fc.assert(
      fc.property(branchArb, fc.array(branchArb, { maxLength: 20 }), (b, others) => {
        const alone = branchSlug(b);
        others.forEach((o) => branchSlug(o));
        expect(branchSlug(b)).toBe(alone);
      }),
      { numRuns: 300 },
    );
  });
});

describe('branch job name', () => {
  it('is <project job name>-<slug>', () => {
    expect(branchJobName('payments-CI-build-branch', 'main')).toBe('payments-CI-build-branch-main');
    expect(branchJobName('payments-CI-build-branch', 'feature/x')).toBe(`payments-CI-build-branch-${branchSlug('feature/x')}`);
  });

  it('long names are cut with a hash and stay distinct', () => {
    const base = 'p'.repeat(100);
    const a = branchJobName(base, 'release-2024-q1-hotfix-aaaa');
    const b = branchJobName(base, 'release-2024-q1-hotfix-bbbb');
    expect(a.length).toBeLessThanOrEqual(JOB_NAME_MAX);
    expect(a).toMatch(/\.[0-9a-f]{8}$/);
    expect(a).not.toBe(b);
  });

  it('property: Jenkins-valid, at most 120 characters, distinct per branch', () => {
    const baseArb = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,130}[A-Za-z0-9]$/);
    fc.assert(
      fc.property(baseArb, fc.uniqueArray(branchArb, { minLength: 1, maxLength: 30 }), (base, branches) => {
        const names = branches.map((b) => branchJobName(base, b));
        for (const n of names) {
          expect(jenkinsGoodName(n)).toBe(true);
          expect(n.length).toBeLessThanOrEqual(JOB_NAME_MAX);
        }
        expect(new Set(names.map((n) => n.toLowerCase())).size).toBe(branches.length);
      }),
      { numRuns: 500 },
    );
  });
});
