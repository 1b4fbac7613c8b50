/**
 * The per-project cap (`max`): so a branch storm cannot flood Jenkins.
 * Which branches are kept, in this order, until `max` are chosen:
 *   1. branches that already have jobs in Jenkins (a job is never torn down because newer branches
 *      arrived), by name;
 *   2. the other branches, by name (code-point order).
 * The choice depends only on the branch names and the existing jobs, so repeated runs agree.
 * The rest is reported as overflow (a notice), never created.
 */
export interface CapResult {
  kept: string[];
  overflow: string[];
}

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function capBranches(branches: readonly string[], max: number | undefined, existing: ReadonlySet<string> = new Set()): CapResult {
  const sorted = [...branches].sort(byName);
  if (max === undefined || sorted.length <= max) return { kept: sorted, overflow: [] };
  const first = sorted.filter((b) => existing.has(b));
  const rest = sorted.filter((b) => !existing.has(b));
  const ordered = [...first, ...rest];
  const keptSet = new Set(ordered.slice(0, Math.max(0, max)));
  return { kept: sorted.filter((b) => keptSet.has(b)), overflow: sorted.filter((b) => !keptSet.has(b)) };
}
