/**
 * Rule: `--only` filters narrow what a run may touch; they never widen deletions.
 * Deletion candidates are computed against the FULL desired state (a job outside the filter is
 * never "missing from the definitions"), then every change outside the filter is dropped.
 */
import picomatch from 'picomatch';

export type ScopeTest = (fullName: string, project?: string) => boolean;

export function scopeTest(only: readonly string[]): ScopeTest {
  if (only.length === 0) return () => true;
  const matchers = only.map((p) => picomatch(p, { dot: true }));
  return (fullName, project) => matchers.some((m) => m(fullName) || (project !== undefined && m(project)));
}
