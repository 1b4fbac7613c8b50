/**
 * `plan --out FILE` and `apply FILE`: make a plan with its basis (definitions' revision and
 * inputs hash, observed fingerprint), and apply a saved one only when neither changed.
 */
import { readFile, writeFile } from 'node:fs/promises';
import type { ApplyEvent, ApplyResult } from '../apply/apply-events.js';
import { applyPlan } from '../apply/apply-plan.js';
import type { JenkinsApi } from '../model/jenkins-api.js';
import type { Plan, PlanBasis } from '../model/plan.js';
import { observedFingerprint } from '../plan/observed-fingerprint.js';
import { parseSavedPlan, serializePlan, staleness } from '../plan/saved-plan.js';
import { definitionsBasis } from './definitions-basis.js';
import { observeJenkins } from './plan-sync.js';
import type { ObservedState } from '../model/observed.js';

export interface DefinitionsDirs {
  templatesDir: string;
  jobsDir: string;
}

export async function planBasis(dirs: DefinitionsDirs, observed: ObservedState, plan: Plan): Promise<PlanBasis> {
  const defs = await definitionsBasis(dirs.templatesDir, dirs.jobsDir);
  return { ...defs, observedFingerprint: observedFingerprint(observed, plan.changes) };
}

export async function savePlanFile(file: string, plan: Plan): Promise<void> {
  await writeFile(file, serializePlan(plan), 'utf8');
}

export async function loadPlanFile(file: string): Promise<Plan> {
  return parseSavedPlan(await readFile(file, 'utf8'));
}

export type ApplySavedOutcome = { status: 'stale'; reasons: string[] } | { status: 'applied'; applied: ApplyResult };

export async function applySavedPlan(
  api: JenkinsApi,
  plan: Plan,
  dirs: DefinitionsDirs,
  opts: { concurrency?: number; onEvent?: (e: ApplyEvent) => void } = {},
): Promise<ApplySavedOutcome> {
  const folderViews = plan.changes.filter((c) => c.target === 'view' && c.view).map((c) => c.view!.folder);
  const observed = await observeJenkins(api, folderViews);
  const current = await planBasis(dirs, observed, plan);
  const reasons = staleness(plan.basis!, current);
  if (reasons.length > 0) return { status: 'stale', reasons };
  return { status: 'applied', applied: await applyPlan(api, plan, opts) };
}
