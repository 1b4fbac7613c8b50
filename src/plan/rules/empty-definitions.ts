/**
 * Rule: definitions without a single project never delete. A checkout whose jobs/ holds only
 * `_defaults.yaml` (a wrong directory, a half-done checkout, a deleted folder) would otherwise
 * tear down every managed job. Refused as a whole (exit 1) unless `--allow-empty`.
 */
import type { PlanProblem } from '../../model/plan.js';

export function emptyDefinitionsProblem(projectCount: number | undefined, managedCount: number, allowEmpty: boolean): PlanProblem | undefined {
  if (projectCount === undefined || projectCount > 0 || allowEmpty) return undefined;
  return {
    severity: 'error',
    category: 'refused',
    code: 'empty-definitions',
    message:
      `refusing to apply: the definitions hold no project (no jobs/<project>.yaml)` +
      (managedCount > 0 ? `, so all ${managedCount} managed job(s) would be deleted` : '') +
      `; check the directory and the checkout, or pass --allow-empty if the definitions are meant to be empty`,
  };
}
