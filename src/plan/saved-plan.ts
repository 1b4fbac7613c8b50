/**
 * The saved-plan file (`plan --out FILE`, `apply FILE`): the Plan value as JSON, configs
 * included (apply pushes exactly these bytes), with its basis: the definitions' git revision,
 * a hash of the input files and a fingerprint of the observed state. No credentials are in it.
 */
import type { Plan, PlanBasis } from '../model/plan.js';

export function serializePlan(plan: Plan): string {
  return JSON.stringify(plan, null, 1) + '\n';
}

export class SavedPlanError extends Error {
  override name = 'SavedPlanError';
}

export function parseSavedPlan(text: string): Plan {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new SavedPlanError(`not a jobsmith plan file: ${(e as Error).message}`);
  }
  const p = v as Partial<Plan>;
  if (!p || typeof p !== 'object' || p.format !== 'jobsmith-plan') throw new SavedPlanError('not a jobsmith plan file (format is not "jobsmith-plan")');
  if (p.version !== 1) throw new SavedPlanError(`unsupported plan version ${String(p.version)} (this jobsmith reads version 1)`);
  if (!Array.isArray(p.changes) || !Array.isArray(p.problems) || typeof p.summary !== 'object') throw new SavedPlanError('plan file is incomplete (changes/problems/summary missing)');
  if (!p.basis) throw new SavedPlanError('plan file has no basis (make it with `jobsmith plan --out FILE`)');
  return p as Plan;
}

/** Why a saved plan no longer applies (empty when it still does). */
export function staleness(saved: PlanBasis, current: PlanBasis): string[] {
  const why: string[] = [];
  if (saved.revision !== current.revision) why.push(`the definitions' revision changed (${saved.revision ?? 'none'} → ${current.revision ?? 'none'})`);
  if (saved.inputsHash !== current.inputsHash) why.push('the template or definition files changed');
  if (saved.observedFingerprint !== current.observedFingerprint) why.push('Jenkins changed since the plan was made');
  return why;
}
