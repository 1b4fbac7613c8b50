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

/** Patterns that are empty (an unset variable, `--only ""`): they would match nothing, or crash the matcher. */
export function emptyPatterns(only: readonly string[]): boolean {
  return only.some((p) => p.trim() === '');
}

/**
 * Patterns that match nothing this run could touch: no desired job or project, and no job or
 * project this owner manages in Jenkins (a typo would otherwise make a run that silently does nothing).
 */
export function unmatchedPatterns(only: readonly string[], names: Iterable<string>, projects: Iterable<string>): string[] {
  const nameList = [...names];
  const projectList = [...projects];
  return only.filter((p) => {
    const m = picomatch(p, { dot: true });
    return !nameList.some((n) => m(n)) && !projectList.some((n) => m(n));
  });
}
