/**
 * The planner: desired state (render) × observed state (one listing) → Plan. Pure: no I/O, time
 * comes from the injected clock. Every safety rule is applied here (see ./rules/).
 */
import type { Clock } from '../model/clock.js';
import type { DesiredJob, DesiredState } from '../model/desired-job.js';
import type { ObservedState } from '../model/observed.js';
import { emptySummary, type Change, type Plan, type PlanProblem } from '../model/plan.js';
import { withMarker } from './config-description.js';
import { sha256 } from '../model/hash.js';
import { typeChanges } from './job-types.js';
import { formatMarker, type Marker } from './marker.js';
import { decideGoneBranch, type BranchScope } from './rules/branch-grace.js';
import { holdDestructive } from './rules/fail-closed.js';
import { scopeTest } from './rules/filter-scope.js';
import { classifyItem, isManagedFolder, isManagedJob, type ClassifiedItem } from './rules/managed-only.js';
import { DEFAULT_MASS_DELETE, massDeleteProblem, type MassDeleteLimits } from './rules/mass-delete-guard.js';
import type { RemovedPolicy } from './rules/removed-policy.js';
import { deleteOrPostpone } from './rules/running-builds.js';
import { sameConfig } from './same-job-config.js';
import { planViews } from './plan-views.js';

export interface PlanOptions {
  /** What to do with managed jobs whose project/template left the definitions (default delete). */
  removed?: RemovedPolicy;
  allowMassDelete?: boolean;
  massDelete?: MassDeleteLimits;
  /** Take over unmanaged jobs that have a desired name. */
  adopt?: boolean;
  /** Glob patterns on job full names or project names; limit what the plan touches. */
  only?: string[];
}

export interface PlanInput {
  desired: DesiredState;
  /** Owner id of the definitions (written into every marker; default `default`). */
  owner?: string;
  observed: ObservedState;
  clock: Clock;
  /**
   * Per project with a `branches:` section: did listing its branches work this run?
   * Undefined = branch detection was not run: every branch job is held (never torn down).
   */
  branchScopes?: Record<string, BranchScope>;
  /**
   * `--verify`: configs fetched from Jenkins for managed jobs (full name → config.xml); a job whose
   * fetched config differs semantically from the rendered one is updated ("edited in Jenkins").
   */
  observedConfigs?: ReadonlyMap<string, string>;
  /** Fail closed: when set (e.g. "the definitions have errors"), nothing is deleted or retired. */
  holdDeletions?: string;
  options?: PlanOptions;
}

/** The owner id of runs that do not say otherwise (plain directories, see src/sync/owner-id.ts). */
export const DEFAULT_OWNER = 'default';

/**
 * The exact config jobsmith pushes for a desired job: the rendered config with the marker in its
 * description. `name` is the full name the item will have in Jenkins (the desired name for a
 * create; the existing item's own spelling for an update).
 */
export function pushedJobConfig(job: DesiredJob, owner: string, name: string = job.fullName): string {
  return withMarker(job.config, formatMarker(desiredMarker(job, owner, name)));
}

export function desiredMarker(job: DesiredJob, owner: string, name: string = job.fullName): Marker {
  const m: Marker = { kind: 'job', owner, name, project: job.project, template: job.template, hash: job.hash };
  if (job.branch !== undefined) m.branch = job.branch;
  return m;
}

export function pushedFolderConfig(config: string, owner: string, name: string): string {
  return withMarker(config, formatMarker({ kind: 'folder', owner, name, hash: sha256(config) }));
}

function parentOf(fullName: string): string {
  const i = fullName.lastIndexOf('/');
  return i < 0 ? '' : fullName.slice(0, i);
}

function jobBase(job: DesiredJob): Omit<Change, 'kind' | 'reason'> {
  const b: Omit<Change, 'kind' | 'reason'> = { target: 'job', fullName: job.fullName, project: job.project, template: job.template, hash: job.hash };
  if (job.branch !== undefined) b.branch = job.branch;
  return b;
}

function markerBase(c: ClassifiedItem & { marker: Marker }): Omit<Change, 'kind' | 'reason'> {
  const b: Omit<Change, 'kind' | 'reason'> = { target: 'job', fullName: c.item.fullName, previousHash: c.marker.hash };
  if (c.marker.project !== undefined) b.project = c.marker.project;
  if (c.marker.template !== undefined) b.template = c.marker.template;
  if (c.marker.branch !== undefined) b.branch = c.marker.branch;
  if (c.item.building) b.building = true;
  return b;
}

export function makePlan(input: PlanInput): Plan {
  const opts = input.options ?? {};
  const removed: RemovedPolicy = opts.removed ?? 'delete';
  const owner = input.owner ?? DEFAULT_OWNER;
  const now = input.clock.now();
  const nowIso = now.toISOString();
  const inScope = scopeTest(opts.only ?? []);
  const changes: Change[] = [];
  const problems: PlanProblem[] = [];

  // Observed items, by exact full name and (Jenkins' root map is case-insensitive) lower-cased.
  const byName = new Map<string, ClassifiedItem>();
  const byLower = new Map<string, ClassifiedItem>();
  const classified = input.observed.items.map(classifyItem);
  for (const c of classified) {
    byName.set(c.item.fullName, c);
    byLower.set(c.item.fullName.toLowerCase(), c);
  }
  const lookup = (fullName: string): ClassifiedItem | undefined => byName.get(fullName) ?? byLower.get(fullName.toLowerCase());
  const managedJobs = classified.filter(isManagedJob);

  // ---- folders
  const desiredFolderNames = new Set<string>();
  const folders = [...input.desired.folders].sort((a, b) => a.fullName.split('/').length - b.fullName.split('/').length || a.fullName.localeCompare(b.fullName));
  for (const f of folders) {
    desiredFolderNames.add(f.fullName);
    const o = lookup(f.fullName);
    const hash = sha256(f.config);
    const base = { target: 'folder' as const, fullName: f.fullName, hash };
    if (!o) {
      changes.push({ ...base, kind: 'create', reason: 'folder for desired jobs', config: pushedFolderConfig(f.config, owner, f.fullName) });
    } else if (!o.item.isFolder) {
      changes.push({ ...base, kind: 'conflict', reason: `an item of class ${o.item.className} is in the way of a desired folder` });
      problems.push({ severity: 'error', category: 'input', code: 'folder-conflict', message: `${f.fullName}: not a folder in Jenkins (${o.item.className}); jobs inside it cannot be created` });
    } else if (isManagedFolder(o) && o.marker.hash !== hash) {
      changes.push({ ...base, kind: 'update', previousHash: o.marker.hash, reason: 'folder config changed', config: pushedFolderConfig(f.config, owner, o.item.fullName) });
    } else {
      changes.push({ ...base, kind: 'unchanged', reason: o.marker ? 'folder up to date' : 'existing folder (not managed by jobsmith)' });
    }
  }

  // ---- desired jobs
  const desiredNames = new Set<string>();
  const desiredLower = new Set<string>();
  const desiredProjects = new Set<string>();
  const projectsWithBranchJobs = new Set<string>();
  for (const job of input.desired.jobs) {
    desiredNames.add(job.fullName);
    desiredLower.add(job.fullName.toLowerCase());
    desiredProjects.add(job.project);
    if (job.branch !== undefined) projectsWithBranchJobs.add(job.project);
  }
  for (const job of input.desired.jobs) {
    if (!inScope(job.fullName, job.project)) continue;
    const base = jobBase(job);
    const o = lookup(job.fullName);
    if (!o) {
      changes.push({ ...base, kind: 'create', reason: job.branch !== undefined ? `new branch ${job.branch}` : `new job from ${job.project} / ${job.template}`, config: pushedJobConfig(job, owner) });
      continue;
    }
    if (o.item.isFolder) {
      changes.push({ ...base, kind: 'conflict', reason: `a folder (${o.item.className}) has this name` });
      problems.push({ severity: 'warning', category: 'notice', code: 'job-conflict', message: `${job.fullName}: a folder has this name; not touched` });
      continue;
    }
    if (!isManagedJob(o)) {
      if (opts.adopt) {
        changes.push({ ...base, kind: 'adopt', reason: 'unmanaged job taken over (--adopt)', config: pushedJobConfig(job, owner, o.item.fullName) });
      } else {
        changes.push({ ...base, kind: 'conflict', reason: 'an unmanaged job has this name (not touched; --adopt takes it over)' });
        problems.push({ severity: 'warning', category: 'notice', code: 'unmanaged-conflict', message: `${job.fullName}: an unmanaged job has this name; not touched (--adopt takes it over)` });
      }
      continue;
    }
    const m = o.marker;
    if (typeChanges(job.rootElement, o.item.className)) {
      if (o.item.building) {
        changes.push({ ...base, kind: 'keep', building: true, reason: `job type changes (${o.item.className} → ${job.rootElement}); a build is running: replaced by a later sync` });
      } else {
        changes.push({ ...base, kind: 'replace', previousHash: m.hash, reason: `job type changes (${o.item.className} → ${job.rootElement}): deleted and created again`, config: pushedJobConfig(job, owner) });
      }
      continue;
    }
    let reason: string | undefined;
    if (m.gone !== undefined) reason = job.branch !== undefined ? `branch ${job.branch} is back` : 'back in the definitions';
    else if (m.project !== job.project || m.template !== job.template) reason = `now rendered from ${job.project} / ${job.template} (was ${m.project} / ${m.template})`;
    else if (m.branch !== job.branch) reason = 'branch recorded in the marker changed';
    else if (m.hash !== job.hash) reason = `rendered config changed (template ${job.template} or project ${job.project})`;
    else if (input.observedConfigs) {
      const seen = input.observedConfigs.get(o.item.fullName);
      if (seen !== undefined && !sameConfig(seen, job.config)) reason = 'edited in Jenkins (drift found by --verify)';
    }
    if (reason !== undefined) {
      changes.push({ ...base, kind: 'update', previousHash: m.hash, reason, config: pushedJobConfig(job, owner, o.item.fullName) });
    } else {
      changes.push({ ...base, kind: 'unchanged', reason: 'up to date' });
    }
    if (m.gone !== undefined && o.item.disabled && !job.disabled) {
      changes.push({ ...base, kind: 'enable', reason: job.branch !== undefined ? `branch ${job.branch} is back: re-enabled` : 'back in the definitions: re-enabled' });
    } else if (job.disabled && !o.item.disabled) {
      changes.push({ ...base, kind: 'disable', reason: 'the definition disables it' });
    }
  }

  // ---- managed jobs no longer desired
  const heldBranchProjects = new Map<string, string>();
  for (const c of managedJobs) {
    const name = c.item.fullName;
    if (desiredNames.has(name) || desiredLower.has(name.toLowerCase())) continue;
    const m = c.marker;
    if (!inScope(name, m.project)) continue; // filters never widen deletions
    const base = markerBase(c);
    const project = m.project ?? '';
    if (m.branch !== undefined) {
      const scope = input.branchScopes ? input.branchScopes[project] : undefined;
      if (!input.branchScopes) {
        changes.push({ ...base, kind: 'keep', reason: 'branch job: branch detection did not run, nothing torn down' });
        continue;
      }
      if (scope) {
        const d = decideGoneBranch(m.branch, m.gone, scope, now, projectsWithBranchJobs.has(project));
        if (d.action === 'hold') {
          changes.push({ ...base, kind: 'keep', reason: `not torn down: ${d.why}` });
          if (!heldBranchProjects.has(project)) heldBranchProjects.set(project, d.why);
        } else if (d.action === 'retire') {
          changes.push({ ...base, kind: 'disable', retire: nowIso, reason: d.why });
        } else if (d.action === 'delete') {
          changes.push(deleteOrPostpone(c.item, base, d.why, m.gone === undefined ? nowIso : undefined));
        } else if (!c.item.disabled) {
          changes.push({ ...base, kind: 'disable', reason: `${d.why} (was re-enabled in Jenkins)` });
        } else {
          changes.push({ ...base, kind: 'keep', reason: d.why });
        }
        continue;
      }
      // no scope: the project no longer has branch jobs at all → removed, like any other job
    }
    const why = !desiredProjects.has(project)
      ? `project ${project} is no longer in the definitions`
      : m.branch !== undefined
        ? `project ${project} no longer makes branch jobs`
        : `template ${m.template} is no longer used by project ${project}`;
    if (removed === 'keep') {
      changes.push({ ...base, kind: 'keep', reason: `${why} (--removed keep)` });
    } else if (removed === 'disable') {
      if (m.gone === undefined) changes.push({ ...base, kind: 'disable', retire: nowIso, reason: `${why} (--removed disable)` });
      else if (!c.item.disabled) changes.push({ ...base, kind: 'disable', reason: `${why}, retired ${m.gone} (--removed disable)` });
      else changes.push({ ...base, kind: 'keep', reason: `${why}, retired ${m.gone} (--removed disable)` });
    } else {
      changes.push(deleteOrPostpone(c.item, base, why));
    }
  }
  for (const [project, why] of heldBranchProjects) {
    problems.push({ severity: 'error', category: 'external', code: 'branch-listing', project, message: `project ${project}: branch jobs left untouched: ${why}` });
  }

  // ---- managed folders no longer desired: deleted only when everything in them goes too
  const goingAway = new Set(changes.filter((c) => c.kind === 'delete' || c.kind === 'replace').map((c) => c.fullName));
  const managedFolders = classified.filter(isManagedFolder).filter((c) => !desiredFolderNames.has(c.item.fullName));
  managedFolders.sort((a, b) => b.item.fullName.split('/').length - a.item.fullName.split('/').length);
  for (const f of managedFolders) {
    const name = f.item.fullName;
    if (!inScope(name)) continue;
    const prefix = name + '/';
    const inside = classified.filter((c) => c.item.fullName.startsWith(prefix));
    const staying = inside.filter((c) => !goingAway.has(c.item.fullName) && !(c.item.isFolder && goingAway.has(c.item.fullName)));
    const createdInside = changes.some((c) => c.fullName.startsWith(prefix) && (c.kind === 'create' || c.kind === 'adopt'));
    if (staying.length === 0 && !createdInside) {
      changes.push({ target: 'folder', fullName: name, kind: 'delete', reason: 'folder no longer needed and empty after this run', previousHash: f.marker.hash });
      goingAway.add(name);
    } else {
      changes.push({ target: 'folder', fullName: name, kind: 'keep', reason: `folder no longer needed but still holds ${staying.length} item(s)` });
    }
  }

  // ---- views
  const managedNames = new Set(managedJobs.map((c) => c.item.fullName));
  changes.push(...planViews(input.desired.views, input.observed.views, { inScope, managedNames, goingAway }));

  // ---- safety rules over the whole plan
  let finalChanges = changes;
  if (input.holdDeletions !== undefined) finalChanges = holdDestructive(finalChanges, input.holdDeletions);
  const managedCount = managedJobs.length;
  const mass = massDeleteProblem(finalChanges, managedCount, opts.massDelete ?? DEFAULT_MASS_DELETE, opts.allowMassDelete ?? false);
  if (mass) problems.push(mass);

  const summary = emptySummary();
  for (const c of finalChanges) summary[c.kind]++;
  return {
    format: 'jobsmith-plan',
    version: 1,
    createdAt: nowIso,
    options: { removed, allowMassDelete: opts.allowMassDelete ?? false, adopt: opts.adopt ?? false, verify: input.observedConfigs !== undefined, only: opts.only ?? [] },
    changes: finalChanges,
    problems,
    summary,
    refused: problems.some((p) => p.category === 'refused'),
    managedCount,
  };
}

export { parentOf };
