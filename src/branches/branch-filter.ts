/**
 * include / exclude globs on branch names (picomatch; `*` stops at `/`, `**` crosses it,
 * `{a,b}` and `[0-9]` work). A branch is kept when it matches some include pattern (all branches
 * when include is absent or empty) and no exclude pattern.
 */
import picomatch from 'picomatch';
import { globProblem } from '../model/glob.js';

export interface BranchFilter {
  include?: string[];
  exclude?: string[];
}

/** Throws on a pattern picomatch cannot compile (callers turn that into a diagnostic). */
export function compileBranchFilter(filter: BranchFilter): (branch: string) => boolean {
  const inc = filter.include && filter.include.length > 0 ? picomatch(filter.include, { dot: true, strictBrackets: true }) : () => true;
  const exc = filter.exclude && filter.exclude.length > 0 ? picomatch(filter.exclude, { dot: true, strictBrackets: true }) : () => false;
  return (b) => inc(b) && !exc(b);
}

/** Check each pattern on its own; returns the index and message of each bad one. */
export function invalidPatterns(patterns: readonly string[]): Array<{ index: number; message: string }> {
  const bad: Array<{ index: number; message: string }> = [];
  patterns.forEach((p, index) => {
    if (typeof p !== 'string' || p === '') {
      bad.push({ index, message: 'empty pattern' });
      return;
    }
    const problem = globProblem(p);
    if (problem !== undefined) bad.push({ index, message: problem });
  });
  return bad;
}
