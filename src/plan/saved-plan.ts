/**
 * The saved-plan file (`plan --out FILE`, `apply FILE`): the Plan value as JSON, configs
 * included (apply pushes exactly these bytes), with its basis: the definitions' git revision,
 * a hash of the input files and a fingerprint of the observed state. No credentials are in it.
 * Reading it back is checked against a schema: ./saved-plan-schema.ts.
 */
import type { Plan, PlanBasis } from '../model/plan.js';

export function serializePlan(plan: Plan): string {
  return JSON.stringify(plan, null, 1) + '\n';
}

export class SavedPlanError extends Error {
  override name = 'SavedPlanError';
}

/** Why a saved plan no longer applies (empty when it still does). */
export function staleness(saved: PlanBasis, current: PlanBasis): string[] {
  const why: string[] = [];
  if (saved.revision !== current.revision) why.push(`the definitions' revision changed (${saved.revision ?? 'none'} → ${current.revision ?? 'none'})`);
  if (saved.inputsHash !== current.inputsHash) why.push('the template or definition files changed');
  if (saved.observedFingerprint !== current.observedFingerprint) why.push('Jenkins changed since the plan was made');
  return why;
}
