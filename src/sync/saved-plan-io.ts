/**
 * `plan --out FILE` and `apply FILE`: make a plan with its basis (definitions' revision and
 * inputs hash, observed fingerprint), and apply a saved one only when neither changed AND every
 * change is one the planner makes now, identically (src/plan/recheck-plan.ts).
 */
import { existsSync, statSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import type { ApplyResult } from '../apply/apply-events.js';
import { applyPlan, type ApplyOptions } from '../apply/apply-plan.js';
import { formatDiagnostic, type Diagnostic } from '../model/diagnostic.js';
import { UsageError } from '../model/errors.js';
import type { JenkinsApi } from '../model/jenkins-api.js';
import { emptySummary, type ArchivePolicy, type Change, type Plan, type PlanBasis } from '../model/plan.js';
import type { Clock } from '../model/clock.js';
import type { BranchSource } from '../branches/branch-source.js';
import { observedFingerprint } from '../plan/observed-fingerprint.js';
import { recheckPlan, type ApplyFlags } from '../plan/recheck-plan.js';
import { DEFAULT_OWNER } from '../plan/make-plan.js';
import { isDestructive } from '../plan/rules/fail-closed.js';
import { serializePlan, staleness } from '../plan/saved-plan.js';
import { definitionsBasis } from './definitions-basis.js';
import { planSync, type SyncSettings } from './plan-sync.js';
import { workspaceSource } from './workspace-source.js';
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
    const what = missing.map((d) => (existsSync(d) ? `${d} (not a directory)` : d)).join(' and ');
    throw new UsageError(
      `apply needs the definitions the plan was made from (to check it is still current): ${what} not found here; ` +
        'run it in the directory where `jobsmith plan --out` ran, or pass --templates and --jobs',
    );
  }
}

export type ApplySavedOutcome =
  | { status: 'stale'; reasons: string[] }
  /** The plan is not (a subset of) what the planner would do now; `external` when the upstream could not be asked. */
  | { status: 'refused'; reasons: string[]; external?: boolean }
  | { status: 'applied'; applied: ApplyResult; plan: Plan };

export interface ApplySavedSettings {
  /** `apply`'s own flags: a plan made with a weakening option needs the same flag here. */
  flags?: ApplyFlags;
  /** Archive settings of the config file (a plan that records none is made again with these). */
  archivePolicy?: ArchivePolicy;
  /** Injected for tests: where the definitions' branches are listed (default: git or svn by URL). */
  branchSource?: BranchSource;
  clock?: Clock;
  concurrency?: number;
}

/** The settings a saved plan is made again with: the file's narrowing options and apply's own flags (never the file's). */
export function savedPlanSettings(plan: Plan, flags: ApplyFlags, archivePolicy?: ArchivePolicy, concurrency?: number): SyncSettings {
  return {
    removed: plan.options.removed,
    verify: plan.options.verify,
    ...(plan.options.only.length > 0 ? { only: plan.options.only } : {}),
    allowMassDelete: flags.allowMassDelete === true,
    adopt: flags.adopt === true,
    allowEmpty: flags.allowEmpty === true,
    allowStale: flags.allowStale === true,
    ...(archivePolicy ? { archive: archivePolicy } : {}),
    ...(concurrency !== undefined ? { concurrency } : {}),
  };
}

export type SavedPlanCheck = Exclude<ApplySavedOutcome, { status: 'applied' }> | { status: 'ok'; plan: Plan };

/**
 * Check a saved plan against the plan made now (`fresh`, from `observed`): the basis must be
 * unchanged and every change one the planner makes now (src/plan/recheck-plan.ts). `ok` gives the
 * fresh plan's own changes that the file holds: what apply runs.
 */
export async function checkSavedPlan(plan: Plan, fresh: Plan, observed: ObservedState, owner: string, dirs: DefinitionsDirs, flags: ApplyFlags): Promise<SavedPlanCheck> {
  const current = await planBasis(dirs, observed, plan);
  const stale = staleness(plan.basis!, current);
  if (stale.length > 0) return { status: 'stale', reasons: stale };
  const checked = recheckPlan({ plan, fresh, owner, flags });
  if (checked.reasons.length > 0) {
    // deletions held now because the definitions are not current: say so first
    const held = plan.changes.some(isDestructive) ? fresh.problems.filter((p) => p.code === 'stale-definitions' || p.code === 'upstream-unknown' || p.code === 'project-never-defined') : [];
    return { status: 'refused', reasons: [...held.map((p) => p.message), ...checked.reasons], external: held.some((p) => p.category === 'external') };
  }
  return { status: 'ok', plan: { ...fresh, changes: checked.changes, refused: false, summary: summaryOf(checked.changes) } };
}

/** The reasons a broken set of definitions refuses a saved plan. */
export function brokenDefinitions(diagnostics: readonly Diagnostic[]): string[] {
  const broken = diagnostics.filter((d) => d.severity === 'error');
  return ['the definitions have errors:', ...broken.slice(0, 10).map(formatDiagnostic)];
}

/**
 * `apply FILE`: the plan made now is the authority (src/plan/recheck-plan.ts). Lists Jenkins, renders
 * the definitions and lists their branches again, plans with the file's narrowing options
 * (`--only`, `--removed`, `--verify`) and apply's own flags, and applies the fresh plan's changes
 * that the file holds, only when the file holds nothing else, its basis is unchanged, and nothing
 * refuses it. Otherwise nothing is changed.
 */
export async function applySavedPlan(
  api: JenkinsApi,
  plan: Plan,
  dirs: DefinitionsDirs & { config?: string; cwd?: string },
  opts: ApplyOptions & ApplySavedSettings = {},
): Promise<ApplySavedOutcome> {
  requireDefinitionsDirs(dirs);
  const flags = opts.flags ?? {};
  const source = workspaceSource({
    templatesDir: dirs.templatesDir,
    jobsDir: dirs.jobsDir,
    ...(dirs.config !== undefined ? { config: dirs.config } : {}),
    ...(dirs.cwd !== undefined ? { cwd: dirs.cwd } : {}),
    ...(opts.branchSource ? { branchSource: opts.branchSource } : {}),
    ...(opts.concurrency !== undefined ? { concurrency: opts.concurrency } : {}),
  });
  const settings = savedPlanSettings(plan, flags, plan.archive ?? opts.archivePolicy, opts.concurrency);
  const planned = await planSync({ api, source, settings, ...(opts.clock ? { clock: opts.clock } : {}) });
  if (planned.status === 'invalid') return { status: 'refused', reasons: brokenDefinitions(planned.diagnostics) };
  const checked = await checkSavedPlan(plan, planned.plan, planned.observed, planned.snapshot.owner ?? DEFAULT_OWNER, dirs, flags);
  if (checked.status !== 'ok') return checked;
  const toApply = checked.plan;
  // the plan's own archive settings apply (its directory, caps): a saved plan applies as recorded
  const archive = opts.archive ?? archiveTarget(toApply, api);
  return { status: 'applied', plan: toApply, applied: await applyPlan(api, toApply, { ...opts, ...(archive ? { archive } : {}) }) };
}

function summaryOf(changes: readonly Change[]): Plan['summary'] {
  const s = emptySummary();
  for (const c of changes) s[c.kind]++;
  return s;
}
