/**
 * Rule: teardown of per-branch jobs (issue 7).
 * A managed branch job whose branch is no longer desired (gone from the listing, or still there but
 * dropped by the project's include/exclude or by its cap: the reason and the params say which,
 * `filtered` / `capped`, so that a webhook's sync can tell a gone branch from one a definitions
 * change dropped, ./branch-event-scope.ts):
 * - its project's branch listing failed, or came back empty where branch jobs exist, or two jobs of
 *   the project would get one name → hold (touch nothing for that project, report it);
 * - not yet marked gone → retire: disable now and record `gone=<now>` in the marker
 *   (keep_days 0: delete at once);
 * - marked gone, now - gone >= keep_days → delete (a running build postpones it);
 * - marked gone, still in grace → keep (disabled).
 * The record lives in Jenkins (the marker), so any agent reaches the same decision.
 */
export interface BranchScope {
  /** Whether listing the project's branches succeeded this run. */
  status: 'ok' | 'failed';
  /** Grace period after a branch disappears (0 = delete at the first sync that sees it gone). */
  keepDays: number;
  /** Why the listing failed (no credentials in it). */
  detail?: string;
  /**
   * The listing succeeded, but a branch job's name collides (`detail` says which): with a job of the
   * definitions (input: the definitions must rename theirs), or with another branch's job (the branch
   * names at fault). Held like a failed listing; reported as what it is.
   */
  collision?: 'definitions' | 'branches';
  /** Number of branches the remote listed (before include/exclude), when known. */
  listed?: number;
  /**
   * Branches the remote lists that the project's `include`/`exclude` drop (their jobs, if any, are torn
   * down by a sync like a gone branch's, but the branch is not gone).
   */
  filtered?: readonly string[];
  /** Branches that exist and match but got no job because of the cap (`max`). */
  cap?: { max: number; dropped: readonly string[] };
  /** Branch names several refs share this run (see detect-branches.ts): their jobs are left as they are. */
  held?: readonly string[];
}

import type { ReasonParams } from '../../model/reason-code.js';

export type BranchDecision =
  | { action: 'hold'; why: string }
  | { action: 'retire'; why: string; params: ReasonParams }
  | { action: 'delete'; why: string; params: ReasonParams }
  | { action: 'wait'; why: string; params: ReasonParams; deleteAfter: string };

const DAY_MS = 86_400_000;

export function decideGoneBranch(
  branch: string,
  gone: string | undefined,
  scope: BranchScope,
  now: Date,
  projectHasDesiredBranchJobs: boolean,
): BranchDecision {
  if (scope.status === 'failed' && scope.collision !== undefined) return { action: 'hold', why: `branch job names collide: ${scope.detail ?? 'see above'}` };
  if (scope.status === 'failed') return { action: 'hold', why: `branch listing failed${scope.detail ? `: ${scope.detail}` : ''}` };
  const empty = scope.listed !== undefined ? scope.listed === 0 : !projectHasDesiredBranchJobs;
  if (empty) return { action: 'hold', why: 'branch listing came back empty while branch jobs exist' };
  if (scope.held?.includes(branch)) return { action: 'hold', why: `branch ${branch}: several refs map to this name (ref collision)` };
  const capped = scope.cap !== undefined && scope.cap.dropped.includes(branch);
  const filtered = !capped && scope.filtered !== undefined && scope.filtered.includes(branch);
  const subject = capped
    ? `branch ${branch} exists but is dropped by the cap (max ${scope.cap!.max})`
    : filtered
      ? `branch ${branch} exists but is dropped by the project's include/exclude`
      : `branch ${branch} is gone`;
  const stillListed = capped || filtered;
  const goneAt = gone !== undefined ? Date.parse(gone) : NaN;
  const params: ReasonParams = { branch, capped, ...(filtered ? { filtered } : {}), keepDays: scope.keepDays, ...(capped ? { max: scope.cap!.max } : {}) };
  if (Number.isNaN(goneAt)) {
    if (scope.keepDays <= 0) return { action: 'delete', why: `${subject} (keep_days 0)`, params };
    return { action: 'retire', why: `${subject}: disabled, deleted after ${scope.keepDays} day(s)`, params };
  }
  const due = goneAt + scope.keepDays * DAY_MS;
  if (now.getTime() >= due)
    return { action: 'delete', why: stillListed ? `${subject}; retired ${gone}, keep_days ${scope.keepDays} passed` : `branch ${branch} gone since ${gone}, keep_days ${scope.keepDays} passed`, params: { ...params, since: gone! } };
  return {
    action: 'wait',
    why: stillListed ? `${subject}; retired ${gone}, deleted after ${new Date(due).toISOString()}` : `branch ${branch} gone since ${gone}; deleted after ${new Date(due).toISOString()}`,
    params: { ...params, since: gone!, deleteAfter: new Date(due).toISOString() },
    deleteAfter: new Date(due).toISOString(),
  };
}
