import { describe, expect, it } from 'vitest';
import { compileBranchFilter, invalidPatterns } from '../../src/branches/branch-filter.js';
import { capBranches } from '../../src/branches/branch-cap.js';

const all = ['main', 'feature/a', 'feature/wip-x', 'feature/deep/y', 'release/1.0', 'hotfix/z', '.hidden'];

describe('include / exclude', () => {
  it('keeps every branch without patterns', () => {
    expect(all.filter(compileBranchFilter({}))).toEqual(all);
  });
  it('include and exclude globs ("*" stops at "/", "**" crosses it)', () => {
    const f = compileBranchFilter({ include: ['feature/*', 'release/*'], exclude: ['feature/wip-*'] });
    expect(all.filter(f)).toEqual(['feature/a', 'release/1.0']);
    const g = compileBranchFilter({ include: ['feature/**'] });
    expect(all.filter(g)).toEqual(['feature/a', 'feature/wip-x', 'feature/deep/y']);
  });
  it('exclude alone', () => {
    expect(all.filter(compileBranchFilter({ exclude: ['main', '*/wip-*'] }))).toEqual(['feature/a', 'feature/deep/y', 'release/1.0', 'hotfix/z', '.hidden']);
  });
  it('braces and classes', () => {
    expect(['r1', 'r2', 'r10', 'x'].filter(compileBranchFilter({ include: ['r[0-9]', '{x,y}'] }))).toEqual(['r1', 'r2', 'x']);
  });
  it('reports bad patterns with their index', () => {
    expect(invalidPatterns(['ok/*', '', 'bad[', 'fine'])).toEqual([
      { index: 1, message: 'empty pattern' },
      expect.objectContaining({ index: 2 }),
    ]);
  });
});

describe('cap', () => {
  const names = Array.from({ length: 10 }, (_, i) => `b${i}`);
  it('no cap, or under the cap: everything, by name', () => {
    expect(capBranches(['b', 'a'], undefined)).toEqual({ kept: ['a', 'b'], overflow: [] });
    expect(capBranches(['b', 'a'], 2)).toEqual({ kept: ['a', 'b'], overflow: [] });
  });
  it('over the cap: first by name', () => {
    expect(capBranches([...names].reverse(), 3)).toEqual({ kept: ['b0', 'b1', 'b2'], overflow: names.slice(3) });
  });
  it('branches that already have jobs are kept first', () => {
    const r = capBranches(names, 3, new Set(['b9', 'b5']));
    expect(r.kept).toEqual(['b0', 'b5', 'b9']);
    expect(r.overflow).toEqual(['b1', 'b2', 'b3', 'b4', 'b6', 'b7', 'b8']);
  });
  it('a storm of new branches never displaces existing ones', () => {
    const existing = new Set(['zz-old-1', 'zz-old-2']);
    const storm = Array.from({ length: 500 }, (_, i) => `aa-${i}`);
    const r = capBranches([...storm, 'zz-old-1', 'zz-old-2'], 2, existing);
    expect(r.kept).toEqual(['zz-old-1', 'zz-old-2']);
    expect(r.overflow).toHaveLength(500);
  });
  it('live jobs first, then retired ones (a branch that came back), then new branches', () => {
    const existing = new Map([
      ['a', 'retired'],
      ['b', 'live'],
      ['c', 'live'],
      ['d', 'retired'],
    ] as const);
    expect(capBranches(['a', 'b', 'c', 'new'], 2, existing)).toEqual({ kept: ['b', 'c'], overflow: ['a', 'new'] });
    expect(capBranches(['a', 'b', 'd', 'new'], 3, existing)).toEqual({ kept: ['a', 'b', 'd'], overflow: ['new'] });
    expect(capBranches(['a', 'new', 'z'], 2, existing)).toEqual({ kept: ['a', 'new'], overflow: ['z'] });
    // lowering max below the live jobs keeps the first live ones by name
    expect(capBranches(['b', 'c'], 1, existing)).toEqual({ kept: ['b'], overflow: ['c'] });
  });
  it('max 0 keeps nothing', () => {
    expect(capBranches(['a'], 0)).toEqual({ kept: [], overflow: ['a'] });
  });
});
