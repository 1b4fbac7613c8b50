/**
 * Rule: a project's jobs are deleted (or retired) for leaving the definitions only when the
 * definitions once had it. A managed job of this owner whose project is not in the definitions and
 * never was in their history (src/sync/project-history.ts) was made or adopted from a commit this
 * checkout does not have: an `import --adopt` whose commit is not pushed yet, a sync from a local
 * branch. Its deletion is held and reported (exit 1) until that commit arrives; `--allow-stale`
 * deletes it anyway. Without a history (plain directories, shallow clones) the rule does not apply.
 */
import type { PlanProblem } from '../../model/plan.js';

/** Why the removal of `project`'s jobs is held, or undefined when it may go on. */
export function neverDefined(project: string, history: ReadonlySet<string> | undefined): string | undefined {
  if (history === undefined || history.has(project)) return undefined;
  return `project ${project} was never in these definitions (no commit of this checkout has it): its jobs were made or adopted from a commit that is not here`;
}

export function neverDefinedProblem(project: string, why: string): PlanProblem {
  return { severity: 'error', category: 'input', code: 'project-never-defined', project, message: `deletions held: ${why}: push that commit (or pull it), or pass --allow-stale to delete them` };
}
