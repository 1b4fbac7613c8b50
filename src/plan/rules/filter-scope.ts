/**
 * Rule: `--only` filters narrow what a run may touch; they never widen deletions.
 * Deletion candidates are computed against the FULL desired state (a job outside the filter is
 * never "missing from the definitions"), then every change outside the filter is dropped.
 * A filter selects jobs (by full name or project); with them come exactly their folders and the
 * views they belong to (the self-service form syncs `--only <project>`: that project's folders and
 * view are made, no other project's).
 * The form and `create` select by project identity (`projects`), never by a glob: a pattern is also
 * matched against job full names, so `only: ['gamma']` would select another project's job named
 * `gamma`. With `projects`, a job is in scope only when its project (the desired job's, or the
 * marker's) is one of them; an item without a project (a folder, a view's foreign entry) is not.
 */
import picomatch from 'picomatch';

export type ScopeTest = (fullName: string, project?: string) => boolean;

export function scopeTest(only: readonly string[], projects?: readonly string[]): ScopeTest {
  if (projects !== undefined) {
    const wanted = new Set(projects);
    const byGlob = only.length === 0 ? () => true : scopeTest(only);
    return (fullName, project) => project !== undefined && wanted.has(project) && byGlob(fullName, project);
  }
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

/**
 * Desired folders a filtered run may create or update: those holding a desired job in scope.
 * Without a filter, every folder.
 */
export function folderScope(filtered: boolean, jobs: ReadonlyArray<{ fullName: string; project: string }>, inScope: ScopeTest): (folder: string) => boolean {
  if (!filtered) return () => true;
  const needed = new Set<string>();
  for (const j of jobs) {
    if (!inScope(j.fullName, j.project)) continue;
    const parts = j.fullName.split('/');
    for (let i = 1; i < parts.length; i++) needed.add(parts.slice(0, i).join('/'));
  }
  return (folder) => needed.has(folder);
}
