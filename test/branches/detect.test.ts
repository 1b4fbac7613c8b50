import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBranchSource } from '../../src/branches/auto-branch-source.js';
import type { BranchListOptions, BranchSource } from '../../src/branches/branch-source.js';
import { detectBranches } from '../../src/branches/detect-branches.js';
import { GitRemote, SvnRepo, removeDir, tempDir } from './fixtures.js';

let root: string;
beforeAll(() => {
  root = tempDir();
});
afterAll(() => removeDir(root));

/** The real source, counting calls and the most listings in flight at once. */
function counting(inner: BranchSource): BranchSource & { calls: string[]; maxInFlight: number } {
  let inFlight = 0;
  const s = {
    calls: [] as string[],
    maxInFlight: 0,
    async list(repo: string, opts?: BranchListOptions) {
      s.calls.push(repo);
      inFlight++;
      s.maxInFlight = Math.max(s.maxInFlight, inFlight);
      try {
        return await inner.list(repo, opts);
      } finally {
        inFlight--;
      }
    },
  };
  return s;
}

describe('detection', () => {
  it('lists each distinct repository once, shares the result between projects', async () => {
    const a = new GitRemote(root, 'd-a');
    a.push('main', 'feature/x');
    const b = new GitRemote(root, 'd-b');
    b.push('dev');
    const src = counting(createBranchSource());
    const got = await detectBranches(
      [
        { project: 'p1', repo: a.url },
        { project: 'p2', repo: ` ${a.url} ` },
        { project: 'p3', repo: b.url },
      ],
      src,
    );
    expect(src.calls.sort()).toEqual([a.url, b.url].sort());
    expect(got.get('p1')).toEqual({ status: 'ok', branches: ['feature/x', 'main'] });
    expect(got.get('p2')).toEqual(got.get('p1'));
    expect(got.get('p3')).toEqual({ status: 'ok', branches: ['dev'] });
  });

  it('runs listings concurrently, never more than the limit', async () => {
    const remotes = Array.from({ length: 9 }, (_, i) => {
      const r = new GitRemote(root, `c${i}`);
      r.push(`b${i}`);
      return r;
    });
    const src = counting(createBranchSource());
    const got = await detectBranches(
      remotes.map((r, i) => ({ project: `p${i}`, repo: r.url })),
      src,
      { concurrency: 3 },
    );
    expect(src.calls).toHaveLength(9);
    expect(src.maxInFlight).toBeLessThanOrEqual(3);
    expect(src.maxInFlight).toBeGreaterThan(1);
    remotes.forEach((_, i) => expect(got.get(`p${i}`)).toEqual({ status: 'ok', branches: [`b${i}`] }));
  });

  it('a failed repository fails only its projects; empty stays ok and empty', async () => {
    const good = new GitRemote(root, 'good');
    good.push('main');
    const empty = new GitRemote(root, 'empty');
    const svn = new SvnRepo(root, 'dsvn');
    svn.branch('b1', 'b2');
    const got = await detectBranches(
      [
        { project: 'good', repo: good.url },
        { project: 'gone', repo: `https://user:pw@127.0.0.1:1/x.git` },
        { project: 'empty', repo: empty.url },
        { project: 'svn', repo: `svn+${svn.url}` },
      ],
      createBranchSource(),
      { timeoutMs: 10_000 },
    );
    expect(got.get('good')).toEqual({ status: 'ok', branches: ['main'] });
    expect(got.get('empty')).toEqual({ status: 'ok', branches: [] });
    expect(got.get('svn')).toEqual({ status: 'ok', branches: ['b1', 'b2'] });
    const gone = got.get('gone');
    expect(gone?.status).toBe('failed');
    if (gone?.status === 'failed') {
      expect(gone.detail).not.toContain('pw');
      expect(gone.detail).toContain('***@127.0.0.1:1');
      expect(gone.reason).toBe('unreachable');
    }
  });

  it('a source that throws something unexpected, or never answers, is a failure', async () => {
    const weird: BranchSource = {
      list: (repo) => (repo === 'hang' ? new Promise(() => {}) : Promise.reject(new Error(`boom https://u:secret@h/r`))),
    };
    const got = await detectBranches(
      [
        { project: 'a', repo: 'boom' },
        { project: 'b', repo: 'hang' },
      ],
      weird,
      { timeoutMs: 10 },
    );
    expect(got.get('a')).toEqual({ status: 'failed', detail: 'boom https://***@h/r', reason: 'client' });
    expect(got.get('b')).toMatchObject({ status: 'failed', reason: 'timeout' });
  });
});
