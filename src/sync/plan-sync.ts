/**
 * Orchestration shared by the CLI (`plan`, `sync`, `apply FILE`), the web form and the master job:
 * load → render → list Jenkins once → plan (→ apply, see run-sync.ts).
 */
import type { Clock } from '../model/clock.js';
import { systemClock } from '../model/clock.js';
import { hasErrors, type Diagnostic } from '../model/diagnostic.js';
import { ExternalError } from '../model/errors.js';
import type { JenkinsApi } from '../model/jenkins-api.js';
import type { ObservedState, ObservedView } from '../model/observed.js';
import type { Plan, PlanProblem } from '../model/plan.js';
import { runLimited } from '../apply/run-limited.js';
import { makePlan, type PlanOptions } from '../plan/make-plan.js';
import { classifyItem, isManagedJob } from '../plan/rules/managed-only.js';
import type { BranchExpansion, DesiredSnapshot, DesiredSource } from './desired-source.js';
import type { BranchScope } from '../plan/rules/branch-grace.js';
import { labelCheckProblems } from './label-check-step.js';

export interface SyncSettings extends PlanOptions {
  /** Fetch managed jobs' configs and report drift (edits made in Jenkins). */
  verify?: boolean;
  /** Parallel requests (default 8). */
  concurrency?: number;
  /** Warn about desired jobs whose label expression matches no node (`plan`; one extra request). */
  labelCheck?: boolean;
}

export interface PlanSyncRequest {
  api: JenkinsApi;
  source: DesiredSource;
  clock?: Clock;
  settings?: SyncSettings;
}

export type PlanSyncOutcome =
  | { status: 'invalid'; diagnostics: Diagnostic[] }
  | { status: 'planned'; diagnostics: Diagnostic[]; plan: Plan; observed: ObservedState; snapshot: DesiredSnapshot };

export function asExternal(what: string, err: unknown): ExternalError {
  return new ExternalError(`${what}: ${err instanceof Error ? err.message : String(err)}`);
}

/** One listing (+ one per existing folder holding a desired view, only when the listing did not include folder views). */
export async function observeJenkins(api: JenkinsApi, folderViews: readonly string[][]): Promise<ObservedState> {
  let observed: ObservedState;
  try {
    observed = await api.list();
  } catch (err) {
    throw asExternal('listing Jenkins failed (nothing was changed)', err);
  }
  const folders = new Set(observed.items.filter((i) => i.isFolder).map((i) => i.fullName));
  const wanted = [...new Map(folderViews.filter((f) => f.length > 0).map((f) => [f.join('/'), f])).values()];
  const extra: ObservedView[] = [];
  for (const folder of wanted) {
    const name = folder.join('/');
    if (!folders.has(name)) continue; // folder not there yet: no views in it
    if (observed.views.some((v) => v.folder.join('/') === name)) continue; // the listing had them already
    try {
      for (const v of await api.listViews(name)) {
        extra.push({ name: v.name, folder, className: v.className, jobs: v.jobs.map((j) => (j.includes('/') ? j : `${name}/${j}`)) });
      }
    } catch (err) {
      throw asExternal(`listing the views of folder ${name} failed (nothing was changed)`, err);
    }
  }
  return extra.length ? { items: observed.items, views: [...observed.views, ...extra] } : observed;
}

/** `--verify`: the current config of every managed job that would otherwise count as unchanged. */
export async function fetchManagedConfigs(api: JenkinsApi, observed: ObservedState, desiredNames: ReadonlySet<string>, concurrency: number): Promise<Map<string, string>> {
  const names = observed.items.map(classifyItem).filter(isManagedJob).map((c) => c.item.fullName).filter((n) => desiredNames.has(n));
  const out = new Map<string, string>();
  await runLimited(names, concurrency, async (n) => {
    try {
      out.set(n, await api.getConfig(n));
    } catch (err) {
      throw asExternal(`--verify: reading ${n}/config.xml failed`, err);
    }
  });
  return out;
}

export async function planSync(req: PlanSyncRequest): Promise<PlanSyncOutcome> {
  const settings = req.settings ?? {};
  let snapshot: DesiredSnapshot;
  try {
    snapshot = await req.source.render();
  } catch (err) {
    throw asExternal('reading the definitions failed (nothing was changed)', err);
  }
  if (hasErrors(snapshot.diagnostics)) return { status: 'invalid', diagnostics: snapshot.diagnostics };
  const observed = await observeJenkins(
    req.api,
    snapshot.desired.views.map((v) => v.folder),
  );
  let desired = snapshot.desired;
  let diagnostics = snapshot.diagnostics;
  let branchScopes: Record<string, BranchScope> | undefined;
  const extraProblems: PlanProblem[] = [];
  if (req.source.branches) {
    let b: BranchExpansion;
    try {
      b = await req.source.branches(snapshot, observed);
    } catch (err) {
      throw asExternal('branch detection failed (nothing was changed)', err);
    }
    diagnostics = [...diagnostics, ...b.diagnostics];
    if (hasErrors(b.diagnostics)) return { status: 'invalid', diagnostics };
    const folderNames = new Set(desired.folders.map((f) => f.fullName));
    desired = {
      jobs: [...desired.jobs, ...b.jobs],
      folders: [...desired.folders, ...b.folders.filter((f) => !folderNames.has(f.fullName))],
      views: desired.views,
    };
    branchScopes = b.scopes;
    extraProblems.push(...b.problems);
  }
  const observedConfigs = settings.verify
    ? await fetchManagedConfigs(req.api, observed, new Set(desired.jobs.map((j) => j.fullName)), settings.concurrency ?? 8)
    : undefined;
  const plan = makePlan({
    desired,
    observed,
    clock: req.clock ?? systemClock,
    ...(branchScopes ? { branchScopes } : {}),
    ...(observedConfigs ? { observedConfigs } : {}),
    options: settings,
  });
  // The planner reports a project whose listing failed (or whose branch names collide) as held;
  // keep the source's other problems (cap notices, ref collisions, ...), each once.
  const projectFailures = new Set(['branch-listing-failed', 'branch-name-collision']);
  const seen = new Set(plan.problems.map((p) => `${p.code}\0${p.project ?? ''}\0${p.message}`));
  for (const p of extraProblems) {
    const dupe = p.project !== undefined && projectFailures.has(p.code) && plan.problems.some((q) => q.code === 'branch-listing' && q.project === p.project);
    const key = `${p.code}\0${p.project ?? ''}\0${p.message}`;
    if (!dupe && !seen.has(key)) {
      seen.add(key);
      plan.problems.push(p);
    }
  }
  if (settings.labelCheck) plan.problems.push(...(await labelCheckProblems(req.api, desired.jobs)));
  return { status: 'planned', diagnostics, plan, observed, snapshot: { desired, diagnostics } };
}
