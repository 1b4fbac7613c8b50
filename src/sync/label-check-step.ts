/**
 * `plan`'s label check: one `computer/api/json` request, made only when some desired job restricts
 * itself to a label expression; the verdict is the pure rule in src/plan/rules/label-check.ts.
 * The check is advisory: a failed node listing becomes a warning, never a failed plan.
 */
import type { DesiredJob } from '../model/desired-job.js';
import type { JenkinsApi } from '../model/jenkins-api.js';
import type { PlanProblem } from '../model/plan.js';
import { checkLabels, labelledJobs } from '../plan/rules/label-check.js';

export async function labelCheckProblems(api: JenkinsApi, jobs: readonly DesiredJob[]): Promise<PlanProblem[]> {
  const labelled = labelledJobs(jobs);
  if (labelled.length === 0) return [];
  let nodes;
  try {
    nodes = await api.listNodes();
  } catch (err) {
    return [{ severity: 'warning', category: 'notice', code: 'label-check-skipped', message: `label check skipped: listing the nodes failed (${err instanceof Error ? err.message : String(err)}); --no-label-check turns the check off` }];
  }
  return checkLabels(labelled, nodes);
}
