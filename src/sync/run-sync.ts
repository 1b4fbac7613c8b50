/**
 * `sync`: plan, then apply (unless dry-run or refused). The result says what happened; the
 * caller (CLI, form, master job) turns it into output and an exit status.
 */
import type { ApplyEvent, ApplyResult } from '../apply/apply-events.js';
import { applyPlan } from '../apply/apply-plan.js';
import { planSync, type PlanSyncOutcome, type PlanSyncRequest } from './plan-sync.js';
import { archiveTarget, type OpenArchiveStore } from './archive-target.js';

export interface RunSyncRequest extends PlanSyncRequest {
  dryRun?: boolean;
  onEvent?: (e: ApplyEvent) => void;
  /** Called with the plan before anything is applied (the CLI prints it there). */
  onPlan?: (outcome: PlanSyncOutcome) => void;
  /** Stops the apply between changes (see ApplyOptions.signal). */
  signal?: AbortSignal;
  /** The archive store for a plan that archives before deleting (default: plain files in its directory). */
  openArchive?: OpenArchiveStore;
}

export type SyncOutcome = PlanSyncOutcome & { applied?: ApplyResult };

export async function runSync(req: RunSyncRequest): Promise<SyncOutcome> {
  const planned = await planSync(req);
  req.onPlan?.(planned);
  if (planned.status !== 'planned' || req.dryRun || planned.plan.refused) return planned;
  const archive = archiveTarget(planned.plan, req.api, req.openArchive);
  const applied = await applyPlan(req.api, planned.plan, {
    concurrency: req.settings?.concurrency ?? 8,
    ...(req.onEvent ? { onEvent: req.onEvent } : {}),
    ...(req.signal ? { signal: req.signal } : {}),
    ...(archive ? { archive } : {}),
  });
  return { ...planned, applied };
}
