/**
 * `plan --out FILE` and `apply FILE`: make a plan with its basis (definitions' revision and
 * inputs hash, observed fingerprint), and apply a saved one only when neither changed AND every
 * change still passes the planner's rules against a fresh listing (src/plan/recheck-plan.ts).
 */
import { existsSync, statSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import type { ApplyResult } from '../apply/apply-events.js';
import { applyPlan, type ApplyOptions } from '../apply/apply-plan.js';
import { hasErrors, formatDiagnostic } from '../model/diagnostic.js';
import { UsageError } from '../model/errors.js';
import type { JenkinsApi } from '../model/jenkins-api.js';
import type { Plan, PlanBasis } from '../model/plan.js';
import { loadWorkspace } from '../load/workspace.js';
import { renderWorkspace } from '../render/render-workspace.js';
import { observedFingerprint } from '../plan/observed-fingerprint.js';
import { recheckPlan } from '../plan/recheck-plan.js';
import { isDestructive } from '../plan/rules/fail-closed.js';
import { serializePlan, staleness } from '../plan/saved-plan.js';
import { definitionsBasis } from './definitions-basis.js';
import { resolveOwner } from './owner-id.js';
import { freshnessProblem, observeJenkins } from './plan-sync.js';
import { checkUpstream } from './upstream-check.js';
import { archiveTarget } from './archive-target.js';
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

/** Many controllers: one file holding the plan of each controller (src/plan/saved-plan-schema.ts parseSavedPlans). */
export async function savePlanSet(file: string, plans: readonly Plan[]): Promise<void> {
  const { PLAN_SET_FORMAT } = await import('../plan/saved-plan-schema.js');
  await writeFile(file, JSON.stringify({ format: PLAN_SET_FORMAT, version: 1, createdAt: plans[0]?.createdAt ?? new Date(0).toISOString(), plans }, null, 1) + '\n', 'utf8');
}

/** One plan, or one per controller (a plan set); an old plan without controller is for the one Jenkins. */
export async function loadPlanFiles(file: string): Promise<Plan[]> {
  const { parseSavedPlans } = await import('../plan/saved-plan-schema.js');
  return parseSavedPlans(await readFile(file, 'utf8'));
}

export async function loadPlanFile(file: string): Promise<Plan> {
  const { parseSavedPlan } = await import('../plan/saved-plan-schema.js');
  return parseSavedPlan(await readFile(file, 'utf8'));
}

/** `apply` checks the plan against the definitions it was made from: they must be here. */
export function requireDefinitionsDirs(dirs: DefinitionsDirs): void {
  const missing = [dirs.templatesDir, dirs.jobsDir].filter((d) => !existsSync(d) || !statSync(d).isDirectory());
  if (missing.length > 0) {
    throw new UsageError(
      `apply needs the definitions the plan was made from (to check it is still current): ${missing.join(' and ')} not found here; ` +
        'run it in the directory where `jobsmith plan --out` ran, or pass --templates and --jobs',
    );
  }
}

export type ApplySavedOutcome =
  | { status: 'stale'; reasons: string[] }
  /** The plan fails a rule against the Jenkins of now; `external` when the upstream could not be asked. */
  | { status: 'refused'; reasons: string[]; external?: boolean }
  | { status: 'applied'; applied: ApplyResult };

export async function applySavedPlan(
  api: JenkinsApi,
  plan: Plan,
  dirs: DefinitionsDirs & { config?: string; cwd?: string },
  opts: ApplyOptions = {},
  /** Many controllers: changes held out of this apply (deletes waiting for a create on another controller, applied afterwards). */
  hold?: (c: Plan['changes'][number]) => boolean,
): Promise<ApplySavedOutcome> {
  requireDefinitionsDirs(dirs);
  const owning = resolveOwner({ jobsDir: dirs.jobsDir, ...(dirs.config !== undefined ? { config: dirs.config } : {}), ...(dirs.cwd !== undefined ? { cwd: dirs.cwd } : {}) });
  const folderViews = plan.changes.filter((c) => c.target === 'view' && c.view).map((c) => c.view!.folder);
  const observed = await observeJenkins(api, folderViews);
  const current = await planBasis(dirs, observed, plan);
  const reasons = staleness(plan.basis!, current);
  if (reasons.length > 0) return { status: 'stale', reasons };
  const owner = await owning;
  if (hasErrors(owner.diagnostics)) return { status: 'refused', reasons: owner.diagnostics.map(formatDiagnostic) };
  // the definitions as they are (unchanged since the plan, the basis says): what a change may write
  const loaded = await loadWorkspace({ templatesDir: dirs.templatesDir, jobsDir: dirs.jobsDir });
  const rendered = renderWorkspace(loaded.workspace, {});
  const broken = [...loaded.diagnostics, ...rendered.diagnostics].filter((d) => d.severity === 'error');
  if (broken.length > 0) return { status: 'refused', reasons: ['the definitions have errors:', ...broken.slice(0, 10).map(formatDiagnostic)] };
  const refusal = recheckPlan({ plan, observed, owner: owner.owner, projectCount: loaded.workspace.definitions.length, desired: rendered.desired });
  if (refusal.length > 0) return { status: 'refused', reasons: refusal };
  if (!plan.options.allowStale && plan.changes.some(isDestructive)) {
    const problem = freshnessProblem(await checkUpstream(dirs.jobsDir));
    if (problem) return { status: 'refused', reasons: [problem.message], external: problem.category === 'external' };
  }
  // the plan's own archive settings apply (its directory, caps): a saved plan applies as recorded
  const archive = opts.archive ?? archiveTarget(plan, api);
  const now = hold ? { ...plan, changes: plan.changes.filter((c) => !hold(c)) } : plan;
  return { status: 'applied', applied: await applyPlan(api, now, { ...opts, ...(archive ? { archive } : {}) }) };
}
