/**
 * Rule: what a webhook's sync of projects may delete. An event on a branch repository syncs just the
 * projects naming it (src/hooks/hook-runner.ts), and of what leaves it tears down only branch jobs
 * whose branch the remote no longer lists (`branch-gone`: retired, then deleted after the grace, under
 * ./branch-grace.ts like any sync), a running build postponing it as usual. A `branch-gone` whose
 * branch the remote still lists (dropped by the project's include/exclude, `filtered`, or by its cap,
 * `capped`) comes from a definitions change too. Anything else the plan
 * would delete, retire, move or replace (a template a project no longer uses, a project's folder or
 * view changed, a second job) comes from a definitions change, not from a push: it is kept, with the
 * reason, for a full sync (`jobsmith sync`, the sync master job, or a push to the definitions
 * repository, which runs one with every guard).
 */
import type { Change } from '../../model/plan.js';
import { holdDestructive } from './fail-closed.js';

export const BRANCH_EVENT_HOLD = "a webhook's sync of a branch repository tears down only branch jobs whose branch is gone: left for a full sync";

/** Whether a `branch-gone` reason's branch is still listed by the remote (dropped by the definitions). */
function stillListed(params: Record<string, unknown> | undefined): boolean {
  return params?.capped === true || params?.filtered === true;
}

/** A branch job's teardown because its branch is gone from the remote (now, or postponed by a running build). */
export function isBranchTeardown(c: Change): boolean {
  if (c.target !== 'job' || c.branch === undefined) return false;
  if (c.code === 'branch-gone') return (c.kind === 'delete' || c.kind === 'disable') && !stillListed(c.params);
  const cause = c.params?.cause as { code?: string; params?: Record<string, unknown> } | undefined;
  return c.code === 'build-running' && cause?.code === 'branch-gone' && !stillListed(cause.params);
}

export function holdAllButBranchTeardown(changes: Change[]): Change[] {
  return holdDestructive(changes, BRANCH_EVENT_HOLD, isBranchTeardown);
}
