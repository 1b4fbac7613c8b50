/**
 * Rule: refuse a plan that deletes "too much": more than `maxCount` jobs AND more than
 * `maxFraction` of the managed jobs (defaults 10 and 20%). `--allow-mass-delete` lifts it.
 * A refused plan applies nothing at all.
 */
import type { Change, PlanProblem } from '../../model/plan.js';

export interface MassDeleteLimits {
  maxCount: number;
  maxFraction: number;
}

export const DEFAULT_MASS_DELETE: MassDeleteLimits = { maxCount: 10, maxFraction: 0.2 };

export function massDeleteProblem(
  changes: readonly Change[],
  managedCount: number,
  limits: MassDeleteLimits,
  allow: boolean,
): PlanProblem | undefined {
  const deletes = changes.filter((c) => c.target === 'job' && (c.kind === 'delete' || c.kind === 'replace')).length;
  if (deletes <= limits.maxCount || deletes <= limits.maxFraction * managedCount) return undefined;
  const pct = managedCount > 0 ? Math.round((deletes / managedCount) * 100) : 100;
  if (allow) {
    return {
      severity: 'warning',
      category: 'notice',
      code: 'mass-delete-allowed',
      message: `deleting ${deletes} of ${managedCount} managed jobs (${pct}%), allowed by --allow-mass-delete`,
    };
  }
  return {
    severity: 'error',
    category: 'refused',
    code: 'mass-delete',
    message:
      `refusing to apply: the plan deletes ${deletes} of ${managedCount} managed jobs (${pct}%), more than ` +
      `${limits.maxCount} jobs and more than ${Math.round(limits.maxFraction * 100)}%; check the definitions, ` +
      `then pass --allow-mass-delete if this is intended`,
  };
}
