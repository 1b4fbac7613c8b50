/**
 * Rule: refuse a plan that deletes "too much" of what this owner manages:
 * - more than `maxCount` jobs AND more than `maxFraction` of the managed jobs (defaults 10 and 20%), or
 * - more than `maxShare` of the managed jobs, whatever the count (default: more than half; so
 *   deleting 2 of 3 jobs is refused too: a small set is not safer to lose).
 * `--allow-mass-delete` lifts it. A refused plan applies nothing at all. `apply FILE` computes it
 * again against a fresh listing (src/plan/recheck-plan.ts), with this same function.
 */
import type { Change, PlanProblem } from '../../model/plan.js';

export interface MassDeleteLimits {
  maxCount: number;
  maxFraction: number;
  /** Share of the managed jobs above which any deletion count is refused (default 0.5). */
  maxShare?: number;
}

export const DEFAULT_MASS_DELETE: MassDeleteLimits = { maxCount: 10, maxFraction: 0.2, maxShare: 0.5 };

/** Job deletions in a plan (a type change deletes and creates again: it counts). */
export function countJobDeletes(changes: readonly Change[]): number {
  return changes.filter((c) => c.target === 'job' && (c.kind === 'delete' || c.kind === 'replace')).length;
}

export function massDeleteProblem(
  changes: readonly Change[],
  managedCount: number,
  limits: MassDeleteLimits,
  allow: boolean,
): PlanProblem | undefined {
  const deletes = countJobDeletes(changes);
  const maxShare = limits.maxShare ?? DEFAULT_MASS_DELETE.maxShare!;
  const overCountAndFraction = deletes > limits.maxCount && deletes > limits.maxFraction * managedCount;
  const overShare = deletes > 0 && deletes > maxShare * managedCount;
  if (!overCountAndFraction && !overShare) return undefined;
  const replaces = changes.filter((c) => c.target === 'job' && c.kind === 'replace').length;
  // a replacement (type change) deletes the old job and its builds: it counts, and the message says so
  const what = replaces === 0 ? `deletes ${deletes}` : replaces === deletes ? `replaces ${deletes}` : `deletes ${deletes - replaces} and replaces ${replaces}`;
  const whatIng = replaces === 0 ? `deleting ${deletes}` : replaces === deletes ? `replacing ${deletes}` : `deleting ${deletes - replaces} and replacing ${replaces}`;
  const note = replaces === 0 ? '' : ' (a replacement deletes the old job and its builds)';
  const pct = managedCount > 0 ? Math.round((deletes / managedCount) * 100) : 100;
  if (allow) {
    return {
      severity: 'warning',
      category: 'notice',
      code: 'mass-delete-allowed',
      message: `${whatIng} of ${managedCount} managed jobs (${pct}%)${note}, allowed by --allow-mass-delete`,
    };
  }
  const why = overCountAndFraction
    ? `more than ${limits.maxCount} jobs and more than ${Math.round(limits.maxFraction * 100)}%`
    : maxShare === 0.5
      ? 'more than half of them'
      : `more than ${Math.round(maxShare * 100)}% of them`;
  return {
    severity: 'error',
    category: 'refused',
    code: 'mass-delete',
    message:
      `refusing to apply: the plan ${what} of ${managedCount} managed jobs (${pct}%)${note}, ${why}; ` +
      `check the definitions, then pass --allow-mass-delete if this is intended`,
  };
}
