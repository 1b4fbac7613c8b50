/**
 * The per-project cap (`max`): so a branch storm cannot flood Jenkins.
 * Which branches are kept, in this order, until `max` are chosen:
 *   1. branches whose job is live in Jenkins (a job is never torn down because newer branches
 *      arrived, or because a branch came back), by name;
 *   2. branches whose job jobsmith retired (the marker records `gone`: the branch went away and is
 *      back, or was dropped by the cap before), by name;
 *   3. the other branches, by name (code-point order).
 * The choice depends only on the branch names and the existing jobs, so repeated runs agree.
 * The rest is the overflow: no job is created for it, and a job it has is torn down like a gone
 * branch's, with the reason "dropped by the cap (max N)" (see plan/rules/branch-grace.ts).
 */
export interface CapResult {
  kept: string[];
  overflow: string[];
}

/** What a branch already has in Jenkins: a live job, or a job jobsmith retired (marker `gone=`). */
export type ExistingBranchJob = 'live' | 'retired';

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** `existing`: branch → its job's state (a plain set means every job is live). */
export function capBranches(
  branches: readonly string[],
  max: number | undefined,
  existing: ReadonlyMap<string, ExistingBranchJob> | ReadonlySet<string> = new Map(),
): CapResult {
  const sorted = [...branches].sort(byName);
  if (max === undefined || sorted.length <= max) return { kept: sorted, overflow: [] };
  const state = (b: string): ExistingBranchJob | undefined =>
    existing instanceof Map ? existing.get(b) : (existing as ReadonlySet<string>).has(b) ? 'live' : undefined;
  const rank = (b: string): number => (state(b) === 'live' ? 0 : state(b) === 'retired' ? 1 : 2);
  const ordered = [...sorted].sort((a, b) => rank(a) - rank(b) || byName(a, b));
  const keptSet = new Set(ordered.slice(0, Math.max(0, max)));
  return { kept: sorted.filter((b) => keptSet.has(b)), overflow: sorted.filter((b) => !keptSet.has(b)) };
}
