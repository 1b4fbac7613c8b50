/**
 * The planner: desired state (render) × observed state (one listing) → Plan. Pure: no I/O, time
 * comes from the injected clock. Every safety rule is applied here (see ./rules/).
 *
 * Ownership (./rules/managed-only.ts): the plan touches only items whose marker names this run's
 * owner and the item itself. A managed job that the definitions now place elsewhere (same project,
 * template and branch; another folder or name) is moved, keeping its builds, not deleted and
 * created again.
 */
import type { Clock } from '../model/clock.js';
import type { DesiredJob, DesiredState } from '../model/desired-job.js';
import type { ObservedState, ObservedView } from '../model/observed.js';
import { causeOf, emptySummary, type ArchivePolicy, type Change, type OwnershipCounts, type Plan, type PlanProblem } from '../model/plan.js';
import type { ReasonRef } from '../model/reason-code.js';
import { withMarker } from './config-description.js';
import { readRootChild } from '../xml/root-description.js';
import { sha256 } from '../model/hash.js';
import { classForRoot, FOLDER_CLASS, isComputedFolderClass, isFolderRoot, typeChanges } from '../model/item-types.js';
import { formatMarker, type Marker } from './marker.js';
import { decideGoneBranch, type BranchScope } from './rules/branch-grace.js';
import { archiveFirst } from './rules/archive-first.js';
import { emptyDefinitionsProblem } from './rules/empty-definitions.js';
import { neverDefined, neverDefinedProblem } from './rules/project-history.js';
import { describeHeld, describeViews, folderAdditions, folderContents, heldViews } from './rules/folder-contents.js';
import { holdDestructive } from './rules/fail-closed.js';
import { holdAllButBranchTeardown } from './rules/branch-event-scope.js';
import { folderScope, scopeTest } from './rules/filter-scope.js';
import { claimFor, claimLeftover, classifyItem, DEFAULT_OWNER, describeOwnership, isManagedFolder, isManagedJob, jobIdentity, type ClassifiedItem, type Wanted } from './rules/managed-only.js';
import { DEFAULT_MASS_DELETE, massDeleteProblem, type MassDeleteLimits } from './rules/mass-delete-guard.js';
import type { RemovedPolicy } from './rules/removed-policy.js';
import { deleteOrPostpone } from './rules/running-builds.js';
import { matchesRenderedWithMarker } from './same-job-config.js';
import { planViews, viewKey } from './plan-views.js';
import { planTemplateViews } from './plan-template-views.js';
import { asideName } from './aside-name.js';

export interface PlanOptions {
  /** What to do with managed jobs whose project/template left the definitions (default delete). */
  removed?: RemovedPolicy;
  allowMassDelete?: boolean;
  massDelete?: MassDeleteLimits;
  /** Take over unmanaged jobs (and this owner's copies) that have a desired name. Never another owner's. */
  adopt?: boolean;
  /** Glob patterns on job full names or project names; limit what the plan touches. */
  only?: string[];
  /**
   * Exact project identities (the self-service form and `create`): only jobs of these projects (by
   * the desired job's project or the marker's), with their folders and views. Never a glob.
   */
  projects?: string[];
  /** Definitions without any project may plan (and so delete everything). */
  allowEmpty?: boolean;
  /** Archive jobs before deleting them (absent: no archiving). */
  archive?: ArchivePolicy;
  /**
   * A webhook's sync of projects (./rules/branch-event-scope.ts): of the destructive changes, only
   * branch jobs' teardowns (their branch is gone) are made; the rest is kept for a full sync.
   */
  branchTeardownOnly?: boolean;
}

export interface PlanInput {
  desired: DesiredState;
  /** Owner id of the definitions (src/sync/owner-id.ts); default `default`. */
  owner?: string;
  observed: ObservedState;
  clock: Clock;
  /** Number of projects in the definitions (the empty-definitions rule); undefined: not checked. */
  projectCount?: number;
  /**
   * Per project with a `branches:` section: did listing its branches work this run?
   * Undefined = branch detection was not run: every branch job is held (never torn down).
   */
  branchScopes?: Record<string, BranchScope>;
  /**
   * `--verify`: configs fetched from Jenkins for managed jobs (full name → config.xml); a job whose
   * fetched config differs semantically from the config jobsmith pushes for it (the rendered config
   * with its marker) is updated ("edited in Jenkins"). Parts Jenkins rewrites itself are not drift
   * (src/model/item-types.ts jenkinsOwnedParts).
   */
  observedConfigs?: ReadonlyMap<string, string>;
  /**
   * `--verify`, decided while the configs were read (plan-sync compares each as it arrives, with
   * `verifyJob`): full name → whether the config Jenkins holds matches what jobsmith pushes.
   */
  verifiedConfigs?: ReadonlyMap<string, boolean>;
  /** `--verify`: configs of this owner's template views (view key `folder/name` → config.xml). */
  observedViewConfigs?: ReadonlyMap<string, string>;
  /**
   * Configs of the folders jobsmith made that the definitions no longer want (full name →
   * config.xml, read by plan-sync): one a person configured since (./rules/folder-contents.ts
   * folderAdditions) is not deleted. A folder whose config was not read is judged by its contents only.
   */
  observedFolderConfigs?: ReadonlyMap<string, string>;
  /**
   * Configs of the views in those folders (and in folder-type items that leave), view key → config:
   * a list view that is exactly what jobsmith writes for a definition's `view:` (its name and jobs
   * aside) does not hold its folder; any other view does. When not given, every view but Jenkins'
   * All view holds its folder.
   */
  folderViewConfigs?: ReadonlyMap<string, string>;
  /**
   * Projects the definitions' git history ever had (src/sync/project-history.ts): a managed job of a
   * project missing from the definitions and from this history is held, not deleted
   * (./rules/project-history.ts). Undefined: not known (no git, a shallow clone, `--allow-stale`).
   */
  projectHistory?: ReadonlySet<string>;
  /** Fail closed: when set (e.g. "the definitions have errors"), nothing is deleted, retired or moved. */
  holdDeletions?: string;
  options?: PlanOptions;
}

/** The owner id of runs that do not say otherwise (plain directories, see src/sync/owner-id.ts). */
export { DEFAULT_OWNER } from './rules/managed-only.js';

/**
 * The exact config jobsmith pushes for a desired job: the rendered config with the marker in its
 * description. `name` is the full name the item will have in Jenkins (the desired name for a
 * create; the existing item's own spelling for an update).
 */
export function pushedJobConfig(job: DesiredJob, owner: string, name: string = job.fullName): string {
  return withMarker(job.config, formatMarker(desiredMarker(job, owner, name)));
}

/**
 * `--verify` for one managed job: does the config Jenkins holds (`live`) say what jobsmith pushes
 * for it at `name` (the rendered config with its marker; src/plan/same-job-config.ts)? Undefined
 * when the config was not read.
 */
export function verifyJob(job: DesiredJob, owner: string, name: string, live: string | undefined): boolean | undefined {
  if (live === undefined) return undefined;
  return matchesRenderedWithMarker(live, job.config, formatMarker(desiredMarker(job, owner, name)), job.rootElement);
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

function leafOf(fullName: string): string {
  return fullName.slice(fullName.lastIndexOf('/') + 1);
}

function jobBase(job: DesiredJob): Omit<Change, 'kind' | 'reason' | 'code'> {
  const b: Omit<Change, 'kind' | 'reason' | 'code'> = { target: 'job', fullName: job.fullName, project: job.project, template: job.template, hash: job.hash };
  if (job.branch !== undefined) b.branch = job.branch;
  return b;
}

function markerBase(c: ClassifiedItem & { marker: Marker }): Omit<Change, 'kind' | 'reason' | 'code'> {
  const b: Omit<Change, 'kind' | 'reason' | 'code'> = { target: 'job', fullName: c.item.fullName, previousHash: c.marker.hash };
  if (c.marker.project !== undefined) b.project = c.marker.project;
  if (c.marker.template !== undefined) b.template = c.marker.template;
  if (c.marker.branch !== undefined) b.branch = c.marker.branch;
  if (c.item.building) b.building = true;
  return b;
}

const SHARED_DEFAULT_CLAIMED = `marker of the former shared owner ${DEFAULT_OWNER} now records this owner (the definitions want exactly this item)`;

/** At most this many "copy of X" notices are listed one by one (then a count). */
const LISTED_COPIES = 20;

export function makePlan(input: PlanInput): Plan {
  const opts = input.options ?? {};
  const removed: RemovedPolicy = opts.removed ?? 'delete';
  const owner = input.owner ?? DEFAULT_OWNER;
  const now = input.clock.now();
  const nowIso = now.toISOString();
  const inScope = scopeTest(opts.only ?? [], opts.projects);
  const changes: Change[] = [];
  const problems: PlanProblem[] = [];

  // Observed items, by exact full name and (Jenkins' root map is case-insensitive) lower-cased.
  const byName = new Map<string, ClassifiedItem>();
  const byLower = new Map<string, ClassifiedItem>();
  const classified = input.observed.items.map((i) => classifyItem(i, owner));
  for (const c of classified) {
    byName.set(c.item.fullName, c);
    byLower.set(c.item.fullName.toLowerCase(), c);
  }
  const lookup = (fullName: string): ClassifiedItem | undefined => byName.get(fullName) ?? byLower.get(fullName.toLowerCase());

  const desiredNames = new Set<string>();
  const desiredLower = new Set<string>();
  const desiredProjects = new Set<string>();
  const projectsWithBranchJobs = new Set<string>();
  const desiredByLower = new Map<string, DesiredJob>();
  /** Identity (project, template, branch) → the desired job's full name. */
  const desiredIdName = new Map<string, string>();
  for (const job of input.desired.jobs) {
    desiredIdName.set(jobIdentity(job), job.fullName);
    desiredNames.add(job.fullName);
    desiredLower.add(job.fullName.toLowerCase());
    desiredByLower.set(job.fullName.toLowerCase(), job);
    desiredProjects.add(job.project);
    if (job.branch !== undefined) projectsWithBranchJobs.add(job.project);
  }
  const desiredFolderLower = new Set(input.desired.folders.map((f) => f.fullName.toLowerCase()));

  // ---- claims: old (v1) markers at a desired name, and interrupted moves, become this run's own
  const exists = (name: string): boolean => lookup(name) !== undefined;
  for (const c of classified) {
    if (c.ownership !== 'legacy' && c.ownership !== 'displaced' && c.ownership !== 'shared-default') continue;
    const lower = c.item.fullName.toLowerCase();
    const d = desiredByLower.get(lower);
    const wanted: Wanted | undefined = d ? { kind: 'job', identity: jobIdentity(d) } : desiredFolderLower.has(lower) ? { kind: 'folder' } : undefined;
    const claim = claimFor(c, wanted, exists);
    if (claim) {
      c.ownership = 'own';
      c.claimed = claim;
    }
  }
  // ---- leftovers of a move or replacement stopped half-way (their marker names where they were going)
  const desiredIdentityAt = (name: string): string | undefined => {
    const d = desiredByLower.get(name.toLowerCase());
    return d ? jobIdentity(d) : undefined;
  };
  const leftovers = classified.flatMap((c) => {
    const atWantedName = desiredLower.has(c.item.fullName.toLowerCase()) || desiredFolderLower.has(c.item.fullName.toLowerCase());
    const claim = c.claimed === undefined && !atWantedName ? claimLeftover(c, desiredIdentityAt, exists) : undefined;
    return claim ? [{ c, claim }] : [];
  });
  const movingTo = new Map<string, number>();
  for (const { c, claim } of leftovers) if (claim === 'moving') movingTo.set(c.marker!.name!.toLowerCase(), (movingTo.get(c.marker!.name!.toLowerCase()) ?? 0) + 1);
  for (const { c, claim } of leftovers) {
    if (claim === 'moving' && movingTo.get(c.marker!.name!.toLowerCase()) !== 1) continue;
    c.ownership = 'own';
    c.claimed = claim;
  }
  const managedJobs = classified.filter(isManagedJob);

  // ---- folders
  const desiredFolderNames = new Set<string>();
  const folderInScope = folderScope(opts.projects !== undefined || (opts.only ?? []).length > 0, input.desired.jobs, inScope);
  const folders = [...input.desired.folders].sort((a, b) => a.fullName.split('/').length - b.fullName.split('/').length || a.fullName.localeCompare(b.fullName));
  for (const f of folders) {
    desiredFolderNames.add(f.fullName);
    if (!folderInScope(f.fullName)) continue;
    const o = lookup(f.fullName);
    const hash = sha256(f.config);
    const base = { target: 'folder' as const, fullName: f.fullName, hash };
    if (!o) {
      changes.push({ ...base, kind: 'create', reason: 'folder for desired jobs', code: 'folder-needed', config: pushedFolderConfig(f.config, owner, f.fullName) });
    } else if (!o.item.isFolder) {
      changes.push({ ...base, kind: 'conflict', reason: `an item of class ${o.item.className} is in the way of a desired folder`, code: 'item-in-the-way', params: { className: o.item.className } });
      problems.push({ severity: 'error', category: 'input', code: 'folder-conflict', message: `${f.fullName}: not a folder in Jenkins (${o.item.className}); jobs inside it cannot be created` });
    } else if (isManagedFolder(o) && (o.marker.hash !== hash || o.claimed === 'legacy' || o.claimed === 'shared-default')) {
      const legacy = o.claimed === 'legacy';
      const shared = o.claimed === 'shared-default';
      const reason = legacy ? 'old marker (v1) upgraded: records owner and name' : shared ? SHARED_DEFAULT_CLAIMED : 'folder config changed';
      changes.push({ ...base, kind: 'update', previousHash: o.marker.hash, reason, code: legacy ? 'marker-upgraded' : shared ? 'marker-owner-taken-over' : 'folder-changed', config: pushedFolderConfig(f.config, owner, o.item.fullName) });
    } else {
      const reason = isManagedFolder(o) ? 'folder up to date' : o.ownership === 'unmanaged' ? 'existing folder (not managed by jobsmith)' : `existing folder (${describeOwnership(o)})`;
      changes.push({ ...base, kind: 'unchanged', reason, ...(isManagedFolder(o) ? { code: 'folder-up-to-date' as const } : { code: 'existing-folder' as const, params: { ownership: o.ownership === 'unmanaged' ? 'unmanaged' : describeOwnership(o) } }) });
    }
  }

  // ---- desired jobs that exist (missing ones are creates, or the far end of a move: see below)
  const missing: DesiredJob[] = [];
  /** Desired jobs whose name is taken by an item this run may not touch (by identity). */
  const blocked = new Map<string, string>();
  /**
   * Identities of desired jobs outside `--only`: a managed job of that identity elsewhere is that
   * job's business (moving there, replaced by it, or held because its name is taken); the run that
   * selects it decides, never a filtered one that sees only one of the two names.
   */
  const outOfScopeIds = new Map<string, string>();
  /** Managed jobs the definitions want enabled that a person disabled in Jenkins (kept disabled, reported). */
  const handDisabled: string[] = [];
  /** `--adopt` candidates, decided once moves are known (a move's destination is never adopted). */
  const adoptable: Array<{ job: DesiredJob; o: ClassifiedItem }> = [];
  for (const job of input.desired.jobs) {
    if (!inScope(job.fullName, job.project)) {
      outOfScopeIds.set(jobIdentity(job), job.fullName);
      continue;
    }
    const base = jobBase(job);
    const o = lookup(job.fullName);
    if (!o) {
      missing.push(job);
      continue;
    }
    // A folder is in the way unless it is this job (a managed folder-type item) or, for a folder-type
    // template of the same class, an unmanaged folder that --adopt may take over.
    if (o.item.isFolder && !isManagedJob(o) && (!isFolderRoot(job.rootElement) || typeChanges(job.rootElement, o.item.className) || isManagedFolder(o))) {
      changes.push({ ...base, kind: 'conflict', reason: `a folder (${o.item.className}) has this name`, code: 'folder-in-the-way', params: { className: o.item.className } });
      problems.push({ severity: 'error', category: 'input', code: 'job-conflict', project: job.project, message: `${job.fullName}: a folder has this name; the job cannot be created (rename the folder or the job)` });
      blocked.set(jobIdentity(job), job.fullName);
      continue;
    }
    if (!isManagedJob(o)) {
      const what = describeOwnership(o);
      if (o.ownership === 'foreign') {
        changes.push({ ...base, kind: 'conflict', reason: `${what}; not touched`, code: 'other-owner', params: { owner: o.marker!.owner ?? '' } });
        problems.push({
          severity: 'error',
          category: 'input',
          code: 'foreign-conflict',
          project: job.project,
          message: `${job.fullName}: ${what}; not touched (if these definitions are that owner, set \`owner: ${o.marker!.owner}\` in jobsmith.yaml)`,
        });
        blocked.set(jobIdentity(job), job.fullName);
      } else if (opts.adopt && typeChanges(job.rootElement, o.item.className)) {
        // a config push cannot change an item's type: Jenkins would refuse it every time
        changes.push({ ...base, kind: 'conflict', reason: `not adopted: it is a ${o.item.className}, the template makes ${classForRoot(job.rootElement) ?? job.rootElement} (a config push cannot change the type)`, code: 'adopt-type-differs', params: { className: o.item.className, wanted: classForRoot(job.rootElement) ?? job.rootElement } });
        problems.push({ severity: 'warning', category: 'notice', code: 'adopt-type-differs', message: `${job.fullName}: not adopted: it is a ${o.item.className} and the template makes another type; delete it in Jenkins (or rename it) to let jobsmith create it` });
        blocked.set(jobIdentity(job), job.fullName);
      } else if (opts.adopt) {
        adoptable.push({ job, o });
      } else {
        const kindOf = o.ownership === 'unmanaged' ? 'an unmanaged job has this name' : `a job has this name, but ${what}`;
        changes.push({ ...base, kind: 'conflict', reason: `${kindOf} (not touched; --adopt takes it over)`, code: 'not-managed', params: { ownership: o.ownership === 'unmanaged' ? 'unmanaged' : what } });
        problems.push({ severity: 'error', category: 'input', code: 'unmanaged-conflict', project: job.project, message: `${job.fullName}: ${kindOf}; not touched, so the desired job is not made (--adopt takes it over, or rename the job)` });
        blocked.set(jobIdentity(job), job.fullName);
      }
      continue;
    }
    const m = o.marker;
    if ((m.branch === undefined) !== (job.branch === undefined)) {
      // a branch job and a job of the definitions are two jobs: one is never re-rendered as the other
      // (its builds would change hands); the one that has the name keeps it
      const holder = m.branch !== undefined ? `the job of branch ${m.branch} of project ${m.project}` : `a job of ${m.project} / ${m.template} that is not a branch job`;
      const fix = job.branch === undefined ? 'give it another name (job:)' : `delete or rename ${o.item.fullName} in Jenkins`;
      changes.push({ ...base, kind: 'conflict', reason: `${holder} has this name; not taken over (its builds are its own)`, code: 'branch-job-in-the-way', params: m.branch !== undefined ? { branch: m.branch } : { project: m.project ?? '', template: m.template ?? '' } });
      problems.push({ severity: 'error', category: 'input', code: 'branch-job-conflict', project: job.project, message: `${job.fullName}: ${holder} has this name, so ${job.branch !== undefined ? `the job of branch ${job.branch}` : `this job of ${job.project} / ${job.template}`} is not made: ${fix}` });
      blocked.set(jobIdentity(job), job.fullName);
      continue;
    }
    if (typeChanges(job.rootElement, o.item.className)) {
      const contents = o.item.isFolder ? folderContents(o.item, input.observed.items, new Set(), input.observed.views) : undefined;
      if (o.item.building || contents?.building) {
        changes.push({ ...base, kind: 'keep', building: true, reason: `job type changes (${o.item.className} → ${job.rootElement}); a build is running: replaced by a later sync`, code: 'type-change-waits-for-build', params: { from: o.item.className, to: job.rootElement } });
      } else if (contents && contents.held.length > 0) {
        changes.push({ ...base, kind: 'keep', reason: `type changes (${o.item.className} → ${job.rootElement}), but replacing it would delete what it holds: ${describeHeld(contents.held)}`, code: 'type-change-would-lose-items', params: { from: o.item.className, to: job.rootElement, held: describeHeld(contents.held) } });
        problems.push({ severity: 'warning', category: 'notice', code: 'folder-holds-items', message: `${job.fullName}: not replaced (its type changes to ${job.rootElement}): it holds ${describeHeld(contents.held)}, which jobsmith does not delete; move or delete them in Jenkins` });
      } else {
        // renamed aside first, deleted only once the new one exists (src/apply/apply-plan.ts replaceJob)
        const aside = asideName(o.item.fullName, (n) => lookup(n) === undefined && !desiredLower.has(n.toLowerCase()));
        changes.push({ ...base, kind: 'replace', previousHash: m.hash, via: aside, reason: `job type changes (${o.item.className} → ${job.rootElement}): the new one is created, then the old one deleted`, code: 'type-changes', params: { from: o.item.className, to: job.rootElement }, config: pushedJobConfig(job, owner) });
      }
      continue;
    }
    if (o.item.fullName !== job.fullName && parentOf(o.item.fullName) === parentOf(job.fullName) && !o.item.isFolder) {
      // the same name but for case (Jenkins' names are case-insensitive): renamed to the new spelling
      if (o.item.building) {
        changes.push({ ...base, kind: 'keep', building: true, reason: `renamed to ${job.fullName} once its running build ends`, code: 'move-waits-for-build', params: { to: job.fullName } });
      } else {
        // Jenkins refuses a rename to the same name in another case (the new name "is already in use":
        // AbstractItem.checkIfNameIsUsed looks names up case-insensitively): two renames, through a free name
        const via = asideName(job.fullName, (n) => lookup(n) === undefined && !desiredLower.has(n.toLowerCase()));
        changes.push({ ...base, kind: 'move', from: o.item.fullName, via, previousHash: m.hash, reason: `renamed by the definitions (the spelling changes: ${leafOf(o.item.fullName)} → ${job.name}, through ${leafOf(via)}); builds kept`, code: 'moved', params: { from: o.item.fullName, to: job.fullName, folder: parentOf(job.fullName), renamed: true }, config: pushedJobConfig(job, owner) });
        const enabling = enableOrDisable(job, o.item.disabled, m.gone, true);
        if (enabling) changes.push({ ...base, ...enabling });
      }
      continue;
    }
    let reason: string | undefined;
    let why: Pick<Change, 'code' | 'params'> = { code: 'up-to-date' };
    if (o.claimed === 'moved-here') (reason = `moved here from ${m.name} in Jenkins: marker updated`), (why = { code: 'moved-in-jenkins', params: { from: m.name ?? '' } });
    else if (m.gone !== undefined) (reason = job.branch !== undefined ? `branch ${job.branch} is back` : 'back in the definitions'), (why = { code: 'back', ...(job.branch !== undefined ? { params: { branch: job.branch } } : {}) });
    else if (m.project !== job.project || m.template !== job.template)
      (reason = `now rendered from ${job.project} / ${job.template} (was ${m.project} / ${m.template})`), (why = { code: 'source-changed', params: { project: job.project, template: job.template, wasProject: m.project ?? '', wasTemplate: m.template ?? '' } });
    else if (m.branch !== job.branch) (reason = 'branch recorded in the marker changed'), (why = { code: 'branch-changed', params: { branch: job.branch ?? '' } });
    else if (m.hash !== job.hash) (reason = `rendered config changed (template ${job.template} or project ${job.project})`), (why = { code: 'config-changed', params: { project: job.project, template: job.template } });
    else if (o.claimed === 'legacy') (reason = 'old marker (v1) upgraded: records owner and name'), (why = { code: 'marker-upgraded' });
    else if (o.claimed === 'shared-default') (reason = SHARED_DEFAULT_CLAIMED), (why = { code: 'marker-owner-taken-over', params: { was: DEFAULT_OWNER } });
    else if (input.verifiedConfigs || input.observedConfigs) {
      // compared with exactly what jobsmith pushed (marker included), not with the rendered config
      const matches = input.verifiedConfigs?.get(o.item.fullName) ?? verifyJob(job, owner, o.item.fullName, input.observedConfigs?.get(o.item.fullName));
      if (matches === false) (reason = 'edited in Jenkins (drift found by --verify)'), (why = { code: 'drift' });
    }
    // a person disabled it in Jenkins (not jobsmith: no gone=, not the definition): it stays disabled, and the plan says so
    const byHand = o.item.disabled && !job.disabled && m.gone === undefined && !templateDisables(job);
    if (byHand) handDisabled.push(o.item.fullName);
    if (reason !== undefined) {
      changes.push({ ...base, kind: 'update', previousHash: m.hash, reason, ...why, config: pushedJobConfig(job, owner, o.item.fullName) });
    } else {
      changes.push(byHand ? { ...base, kind: 'unchanged', reason: 'up to date; disabled in Jenkins by a person: kept disabled', code: 'up-to-date-disabled-by-hand' } : { ...base, kind: 'unchanged', reason: 'up to date', code: 'up-to-date' });
    }
    const enabling = enableOrDisable(job, o.item.disabled, m.gone, reason !== undefined);
    if (enabling) changes.push({ ...base, ...enabling });
  }

  // ---- managed jobs no longer desired where they are (in scope or not: a move is never split)
  const leavingAll: Array<ClassifiedItem & { marker: Marker }> = [];
  for (const c of managedJobs) {
    const name = c.item.fullName;
    if (desiredNames.has(name) || desiredLower.has(name.toLowerCase())) continue;
    leavingAll.push(c);
  }
  const leavingIds = new Set(leavingAll.map((c) => jobIdentity(c.marker)));

  // ---- --adopt: an item at a desired name is taken over, unless a managed job of the same identity
  // would move there (taking over the item would make the move a copy + delete of the original)
  for (const { job, o } of adoptable) {
    const base = jobBase(job);
    const what = describeOwnership(o);
    const identity = jobIdentity(job);
    if (leavingIds.has(identity)) {
      const src = leavingAll.find((c) => jobIdentity(c.marker) === identity)!.item.fullName;
      const holder = o.ownership === 'unmanaged' ? 'an unmanaged job' : o.ownership === 'displaced' ? `a copy of ${o.marker!.name}` : 'a job';
      changes.push({ ...base, kind: 'conflict', reason: `${holder} has this name, where ${src} moves to; not taken over by --adopt (that would lose ${src}'s builds): delete or rename it, then sync`, code: 'move-target-taken', params: { from: src, ownership: o.ownership } });
      problems.push({ severity: 'error', category: 'input', code: 'move-target-taken', project: job.project, message: `${job.fullName}: ${holder} holds the name ${src} moves to; the move is held and --adopt does not take it over (delete or rename ${job.fullName}, then sync)` });
      blocked.set(identity, job.fullName);
      continue;
    }
    changes.push({ ...base, kind: 'adopt', reason: o.ownership === 'unmanaged' ? 'unmanaged job taken over (--adopt)' : `taken over (--adopt); ${what}`, code: 'adopted', params: { ownership: o.ownership === 'unmanaged' ? 'unmanaged' : what }, config: pushedJobConfig(job, owner, o.item.fullName) });
  }

  // ---- moves: one leaving job and one missing job of the same project, template and branch
  const missingById = new Map<string, DesiredJob[]>();
  for (const j of missing) {
    const k = jobIdentity(j);
    missingById.set(k, [...(missingById.get(k) ?? []), j]);
  }
  const leavingById = new Map<string, Array<ClassifiedItem & { marker: Marker }>>();
  for (const c of leavingAll) {
    const k = jobIdentity(c.marker);
    leavingById.set(k, [...(leavingById.get(k) ?? []), c]);
  }
  const movedFrom = new Map<string, string>(); // source full name → destination
  const pairedSources = new Set<string>();
  const pairedDestinations = new Set<string>();
  const usedVias = new Set<string>();
  /** Why a job of some identity is created anew rather than moved. */
  const unpaired = new Map<string, string>();
  const free = (name: string): boolean => lookup(name) === undefined && !desiredLower.has(name.toLowerCase()) && !usedVias.has(name.toLowerCase());
  for (const [k, dests] of missingById) {
    const sources = leavingById.get(k);
    if (!sources) continue;
    if (sources.length !== 1 || dests.length !== 1) {
      unpaired.set(k, 'not moved: more than one candidate');
      continue;
    }
    const src = sources[0]!;
    const job = dests[0]!;
    if (typeChanges(job.rootElement, src.item.className)) {
      unpaired.set(k, `not moved: the job type changes (${src.item.className} → ${job.rootElement})`);
      continue;
    }
    const from = src.item.fullName;
    const sameParent = parentOf(from) === parentOf(job.fullName);
    let via: string | undefined;
    if (!sameParent && leafOf(from) !== leafOf(job.fullName)) {
      const moveFirst = parentOf(job.fullName) ? `${parentOf(job.fullName)}/${leafOf(from)}` : leafOf(from);
      const renameFirst = parentOf(from) ? `${parentOf(from)}/${leafOf(job.fullName)}` : leafOf(job.fullName);
      via = free(moveFirst) ? moveFirst : free(renameFirst) ? renameFirst : undefined;
      if (via === undefined) {
        unpaired.set(k, `not moved: both ${moveFirst} and ${renameFirst}, the names it would pass through, are taken`);
        continue;
      }
      usedVias.add(via.toLowerCase());
    }
    pairedSources.add(from);
    pairedDestinations.add(job.fullName);
    const base = jobBase(job);
    if (src.item.building) {
      changes.push({ ...markerBase(src), kind: 'keep', building: true, reason: `moves to ${job.fullName} once its running build ends`, code: 'move-waits-for-build', params: { to: job.fullName } });
      continue;
    }
    movedFrom.set(from, job.fullName);
    const where = sameParent ? 'renamed by the definitions' : `the definitions place it in ${parentOf(job.fullName) || 'the root'}`;
    const change: Change = {
      ...base,
      kind: 'move',
      from,
      previousHash: src.marker.hash,
      reason: `${where} (same project ${job.project} and template ${job.template}); builds kept`,
      code: 'moved',
      params: { from, to: job.fullName, folder: parentOf(job.fullName), renamed: sameParent },
      config: pushedJobConfig(job, owner),
    };
    if (via !== undefined) change.via = via;
    changes.push(change);
    const enabling = enableOrDisable(job, src.item.disabled, src.marker.gone, true);
    if (enabling) changes.push({ ...base, ...enabling });
  }

  // ---- creates: missing desired jobs that are not the far end of a move
  const createdById = new Map<string, string>();
  for (const job of missing) {
    if (pairedDestinations.has(job.fullName)) continue;
    changes.push({ ...jobBase(job), kind: 'create', reason: job.branch !== undefined ? `new branch ${job.branch}` : `new job from ${job.project} / ${job.template}`, ...(job.branch !== undefined ? { code: 'new-branch-job' as const, params: { project: job.project, template: job.template, branch: job.branch } } : { code: 'new-job' as const, params: { project: job.project, template: job.template } }), config: pushedJobConfig(job, owner) });
    if (job.disabled) changes.push({ ...jobBase(job), kind: 'disable', reason: 'the definition disables it', code: 'definition-disables' });
    createdById.set(jobIdentity(job), job.fullName);
  }

  // ---- deletions (and branch teardown) of managed jobs that leave and are not moved
  const heldBranchProjects = new Map<string, string>();
  const neverDefinedProjects = new Map<string, string>();
  /** Deletions of folder-type items: decided last, when it is known what else goes (./rules/folder-contents.ts). */
  const folderTypeDeletes: Array<{ c: ClassifiedItem & { marker: Marker }; change: Change }> = [];
  const pushLeaving = (c: ClassifiedItem & { marker: Marker }, change: Change): void => {
    if (!c.item.isFolder) changes.push(change);
    else if (change.kind === 'delete') folderTypeDeletes.push({ c, change });
    else if (change.kind === 'disable') changes.push({ ...change, kind: 'keep', reason: `${change.reason.replace(/ \(--removed disable\)$/, '')} (a folder cannot be disabled: kept)`, code: 'folder-cannot-disable', params: { cause: change.params?.cause ?? causeOf(change) } });
    else changes.push(change);
  };
  for (const c of leavingAll) {
    if (pairedSources.has(c.item.fullName)) continue;
    const m = c.marker;
    if (!inScope(c.item.fullName, m.project)) continue; // filters never widen deletions
    const base = markerBase(c);
    const project = m.project ?? '';
    const identity = jobIdentity(m);
    const elsewhere = outOfScopeIds.get(identity);
    if (elsewhere !== undefined) {
      // the same job is wanted at a name this filtered run does not select: moving it, replacing it or
      // holding it is for the run that selects both names (a filter never splits a move)
      changes.push({ ...base, kind: 'keep', reason: `the definitions want this job as ${elsewhere}, which --only does not select: left for a run that selects both names (a filter never splits a move)`, code: 'left-for-unfiltered-run', params: { wantedAs: elsewhere } });
      continue;
    }
    const blocker = blocked.get(identity);
    if (blocker !== undefined) {
      pushLeaving(c, { ...base, kind: 'keep', reason: `not deleted: the job that replaces it, ${blocker}, cannot be made (its name is taken)`, code: 'replacement-blocked', params: { by: blocker } });
      continue;
    }
    const replacement = createdById.get(identity);
    const notHere = desiredProjects.has(project) ? undefined : neverDefined(project, input.projectHistory);
    if (notHere !== undefined) {
      pushLeaving(c, { ...base, kind: 'keep', reason: `not deleted: ${notHere}`, code: 'project-never-defined', params: { project } });
      if (!neverDefinedProjects.has(project)) neverDefinedProjects.set(project, notHere);
      continue;
    }
    if (m.branch !== undefined) {
      const scope = input.branchScopes ? input.branchScopes[project] : undefined;
      if (!input.branchScopes) {
        pushLeaving(c, { ...base, kind: 'keep', reason: 'branch job: branch detection did not run, nothing torn down', code: 'branch-detection-off' });
        continue;
      }
      if (scope) {
        const d = decideGoneBranch(m.branch, m.gone, scope, now, projectsWithBranchJobs.has(project));
        if (d.action === 'hold') {
          pushLeaving(c, { ...base, kind: 'keep', reason: `not torn down: ${d.why}`, code: 'branch-held', params: { detail: d.why } });
          if (!heldBranchProjects.has(project)) heldBranchProjects.set(project, d.why);
        } else if (d.action === 'retire') {
          pushLeaving(c, { ...base, kind: 'disable', retire: nowIso, reason: d.why, code: 'branch-gone', params: d.params });
        } else if (d.action === 'delete') {
          pushLeaving(c, deleteOrPostpone(c.item, base, { reason: d.why, code: 'branch-gone', params: d.params }, m.gone === undefined ? nowIso : undefined));
        } else if (!c.item.disabled) {
          pushLeaving(c, { ...base, kind: 'disable', reason: `${d.why} (was re-enabled in Jenkins)`, code: 'branch-gone-reenabled', params: { branch: m.branch!, detail: d.why } });
        } else {
          pushLeaving(c, { ...base, kind: 'keep', reason: d.why, code: 'branch-gone', params: d.params });
        }
        continue;
      }
      // no scope: the project no longer has branch jobs at all → removed, like any other job
    }
    const why =
      c.claimed === 'aside'
        ? `left aside by a replacement of ${m.name} that stopped before deleting it`
        : replacement !== undefined
        ? `replaced by ${replacement}, same project ${project} and template ${m.template} (${unpaired.get(identity) ?? 'not moved'})`
        : !desiredProjects.has(project)
          ? `project ${project} is no longer in the definitions`
          : desiredIdName.has(identity)
            ? `a second job of ${project} / ${m.template}${m.branch !== undefined ? ` (branch ${m.branch})` : ''}: the definitions make it as ${desiredIdName.get(identity)}`
            : m.branch !== undefined
            ? `project ${project} no longer makes branch jobs`
            : `template ${m.template} is no longer used by project ${project}`;
    const cause: ReasonRef =
      c.claimed === 'aside'
        ? { code: 'left-aside', params: { of: m.name ?? '' } }
        : replacement !== undefined
        ? { code: 'replaced-elsewhere', params: { project, template: m.template ?? '', by: replacement, detail: unpaired.get(identity) ?? 'not moved' } }
        : !desiredProjects.has(project)
          ? { code: 'project-removed', params: { project } }
          : desiredIdName.has(identity)
            ? { code: 'second-job', params: { project, template: m.template ?? '', ...(m.branch !== undefined ? { branch: m.branch } : {}), as: desiredIdName.get(identity)! } }
            : m.branch !== undefined
            ? { code: 'branch-jobs-stopped', params: { project } }
            : { code: 'template-unused', params: { project, template: m.template ?? '' } };
    if (removed === 'keep') {
      pushLeaving(c, { ...base, kind: 'keep', reason: `${why} (--removed keep)`, code: 'removed-keep', params: { cause } });
    } else if (removed === 'disable') {
      // a job a person disabled is left as it is: retiring it would make jobsmith re-enable it later
      if (m.gone === undefined && c.item.disabled) pushLeaving(c, { ...base, kind: 'keep', reason: `${why}; disabled in Jenkins already (--removed disable)`, code: 'removed-kept-disabled', params: { cause } });
      else if (m.gone === undefined) pushLeaving(c, { ...base, kind: 'disable', retire: nowIso, reason: `${why} (--removed disable)`, code: 'removed-disable', params: { cause } });
      else if (!c.item.disabled) pushLeaving(c, { ...base, kind: 'disable', reason: `${why}, retired ${m.gone} (--removed disable)`, code: 'removed-disable', params: { cause, retiredAt: m.gone } });
      else pushLeaving(c, { ...base, kind: 'keep', reason: `${why}, retired ${m.gone} (--removed disable)`, code: 'removed-kept-disabled', params: { cause, retiredAt: m.gone } });
    } else {
      const d = deleteOrPostpone(c.item, base, { reason: why, ...cause }, m.gone === undefined && !c.item.disabled ? nowIso : undefined);
      // half of a replacement: deleted only once the job that replaces it was created
      if (d.kind === 'delete' && replacement !== undefined) d.after = replacement;
      pushLeaving(c, d);
    }
  }
  for (const [project, why] of neverDefinedProjects) problems.push(neverDefinedProblem(project, why));
  for (const [project, why] of heldBranchProjects) {
    // a name collision was reported where it was found (src/branches/expand-branch-jobs.ts), with its fix
    if (input.branchScopes?.[project]?.collision !== undefined) continue;
    problems.push({ severity: 'error', category: 'external', code: 'branch-listing', project, message: `project ${project}: branch jobs left untouched: ${why}` });
  }

  // views made from templates (planned here, listed with the other views below): those this plan deletes do not hold a folder
  const templateViews = planTemplateViews(input.desired.templateViews ?? [], input.observed.views, { owner, inScope, adopt: opts.adopt ?? false, ...(input.observedViewConfigs ? { observedConfigs: input.observedViewConfigs } : {}) });
  const viewsGoing = new Set(templateViews.changes.filter((c) => c.kind === 'delete' || c.kind === 'replace').map((c) => c.fullName.toLowerCase()));

  // ---- folder-type items that leave (deepest first): deleted only when nothing in them would be lost
  const goingAway = new Set(changes.filter((c) => c.kind === 'delete' || c.kind === 'replace').map((c) => c.fullName));
  for (const from of movedFrom.keys()) goingAway.add(from);
  const lowerGone = (): Set<string> => new Set([...goingAway].map((n) => n.toLowerCase()));
  folderTypeDeletes.sort((a, b) => b.c.item.fullName.split('/').length - a.c.item.fullName.split('/').length);
  for (const { c, change } of folderTypeDeletes) {
    // (a folder-type item holds no definition's list view: any view a person made in it holds it)
    const contents = folderContents(c.item, input.observed.items, lowerGone(), input.observed.views, { goingAway: viewsGoing });
    if (contents.held.length > 0) {
      changes.push({ ...change, kind: 'keep', reason: `${change.reason}; not deleted: it holds ${describeHeld(contents.held)}, which jobsmith does not own`, code: 'holds-items', params: { cause: causeOf(change), held: describeHeld(contents.held) } });
      problems.push({ severity: 'warning', category: 'notice', code: 'folder-holds-items', message: `${c.item.fullName}: not deleted (${change.reason}): it holds ${describeHeld(contents.held)}, which jobsmith does not delete; move or delete them in Jenkins` });
      continue;
    }
    const d = deleteOrPostpone({ ...c.item, building: contents.building }, markerBase(c), { reason: change.reason, ...causeOf(change) });
    if (change.after !== undefined && d.kind === 'delete') d.after = change.after;
    if (d.kind === 'delete') d.folderType = isComputedFolderClass(c.item.className) ? 'computed' : 'plain';
    changes.push(d.kind === 'disable' ? { ...d, kind: 'keep', reason: `${change.reason}; a build is running inside it: deleted by a later sync`, code: 'build-running-inside', params: { cause: causeOf(change) } } : d);
    if (d.kind === 'delete') goingAway.add(c.item.fullName);
  }

  // ---- managed folders no longer desired: deleted only when everything in them goes too
  const managedFolders = classified.filter(isManagedFolder).filter((c) => !desiredFolderNames.has(c.item.fullName));
  managedFolders.sort((a, b) => b.item.fullName.split('/').length - a.item.fullName.split('/').length);
  for (const f of managedFolders) {
    const name = f.item.fullName;
    if (!inScope(name)) continue;
    const prefix = name + '/';
    const staying = folderContents({ ...f.item, className: FOLDER_CLASS }, input.observed.items, lowerGone()).held;
    const createdInside = changes.some((c) => c.fullName.startsWith(prefix) && (c.kind === 'create' || c.kind === 'adopt' || c.kind === 'move'));
    const viaInside = changes.some((c) => c.kind === 'move' && c.via?.startsWith(prefix));
    const views = heldViews({ ...f.item, className: FOLDER_CLASS }, input.observed.views, viewsGoing, input.folderViewConfigs);
    const config = input.observedFolderConfigs?.get(name);
    const additions = config !== undefined ? folderAdditions(config) : input.observedFolderConfigs !== undefined ? ['its config could not be read: kept this run'] : [];
    if (staying.length > 0 || createdInside || viaInside) {
      changes.push({ target: 'folder', fullName: name, kind: 'keep', reason: `folder no longer needed but still holds ${staying.length} item(s)`, code: 'folder-not-empty', params: { count: staying.length } });
    } else if (views.length > 0) {
      changes.push({ target: 'folder', fullName: name, kind: 'keep', reason: `folder no longer needed, but it holds ${describeViews(views)}, which jobsmith does not delete`, code: 'folder-holds-views', params: { views: views.map((v) => viewKey(v.name, v.folder)) } });
      problems.push({ severity: 'warning', category: 'notice', code: 'folder-holds-items', message: `folder ${name}: not deleted: it holds ${describeViews(views)}; jobsmith never deletes a view it did not make: delete or move it in Jenkins, and the next sync deletes the folder` });
    } else if (additions.length > 0) {
      changes.push({ target: 'folder', fullName: name, kind: 'keep', reason: `folder no longer needed, but it was configured in Jenkins since jobsmith made it (${additions.join(', ')})`, code: 'folder-configured', params: { what: additions } });
      problems.push({ severity: 'warning', category: 'notice', code: 'folder-configured', message: `folder ${name}: not deleted: it was configured in Jenkins since jobsmith made it (${additions.join(', ')}); delete it in Jenkins when it is no longer needed` });
    } else {
      changes.push({ target: 'folder', fullName: name, kind: 'delete', reason: 'folder no longer needed and empty after this run', code: 'folder-empty', previousHash: f.marker.hash, folderType: 'plain' });
      goingAway.add(name);
    }
  }

  // ---- views (Jenkins' ListView follows a rename; a job moved to another folder leaves the view's listing)
  const managedNames = new Set(managedJobs.map((c) => c.item.fullName));
  for (const d of movedFrom.values()) managedNames.add(d);
  // a replaced job is a new item: Jenkins' list views lose the old one (renamed aside, then deleted)
  const replaced = new Set(changes.filter((c) => c.kind === 'replace').map((c) => c.fullName));
  const observedViews = movedFrom.size === 0 && replaced.size === 0 ? input.observed.views : input.observed.views.map((v) => ({ ...followMoves(v, movedFrom), jobs: followMoves(v, movedFrom).jobs.filter((j) => !replaced.has(j)) }));
  const projectOf = new Map(input.desired.jobs.map((j) => [j.fullName, j.project]));
  // a view loses only managed jobs the definitions no longer make; a managed job a person added stays
  const leftDefinitions = new Set([...managedNames].filter((n) => !desiredLower.has(n.toLowerCase())));
  const willExist = new Set([...input.observed.items.map((i) => i.fullName.toLowerCase()), ...changes.filter((c) => c.target === 'job' && (c.kind === 'create' || c.kind === 'move' || c.kind === 'replace')).map((c) => c.fullName.toLowerCase())]);
  changes.push(...planViews(input.desired.views, observedViews, { inScope: (n) => inScope(n, projectOf.get(n)), leftDefinitions, goingAway, willExist }));
  changes.push(...templateViews.changes);
  problems.push(...templateViews.problems);

  // ---- what else carries a marker (never touched), said once
  const ownership: OwnershipCounts = { otherOwners: 0, copies: 0, oldMarkers: 0 };
  let sharedDefault = 0;
  const owners = new Set<string>();
  const copyLines: string[] = [];
  for (const c of classified) {
    if (c.ownership === 'foreign') {
      ownership.otherOwners++;
      owners.add(c.marker!.owner!);
    } else if (c.ownership === 'legacy') ownership.oldMarkers++;
    else if (c.ownership === 'shared-default') sharedDefault++;
    else if (c.ownership === 'displaced') {
      ownership.copies++;
      if (copyLines.length < LISTED_COPIES) copyLines.push(`${c.item.fullName}: copy of ${c.marker!.name}, not managed (or renamed or moved in Jenkins: jobsmith never changes or deletes it; \`jobsmith import --adopt\` takes it over)`);
    }
  }
  for (const name of handDisabled.slice(0, LISTED_COPIES)) {
    problems.push({ severity: 'warning', category: 'notice', code: 'disabled-by-hand', message: `${name}: disabled in Jenkins (not by jobsmith): kept disabled; enable it in Jenkins to build it again` });
  }
  if (handDisabled.length > LISTED_COPIES) problems.push({ severity: 'warning', category: 'notice', code: 'disabled-by-hand', message: `... and ${handDisabled.length - LISTED_COPIES} more jobs disabled in Jenkins, kept disabled` });
  for (const line of copyLines) problems.push({ severity: 'warning', category: 'notice', code: 'copy-not-managed', message: line });
  if (ownership.copies > copyLines.length) problems.push({ severity: 'warning', category: 'notice', code: 'copy-not-managed', message: `... and ${ownership.copies - copyLines.length} more such copies` });
  if (ownership.otherOwners > 0) {
    const list = [...owners].sort();
    problems.push({ severity: 'warning', category: 'notice', code: 'other-owners', message: `${ownership.otherOwners} item(s) managed by other definitions (owner${list.length > 1 ? 's' : ''} ${list.slice(0, 5).join(', ')}${list.length > 5 ? ', ...' : ''}): not touched` });
  }
  if (ownership.oldMarkers > 0) {
    problems.push({ severity: 'warning', category: 'notice', code: 'old-markers', message: `${ownership.oldMarkers} item(s) with an old jobsmith marker (v1, no owner) that these definitions do not want: not touched (they may belong to other definitions; delete them by hand if they are yours and no longer wanted)` });
  }

  if (sharedDefault > 0) {
    problems.push({
      severity: 'warning',
      category: 'notice',
      code: 'shared-default-owner',
      message: `${sharedDefault} item(s) with the former shared owner ${DEFAULT_OWNER} (made from a plain directory by an earlier jobsmith) that these definitions do not want as they are: not touched, never deleted (they may belong to another plain directory; if they are these definitions', set \`owner: ${DEFAULT_OWNER}\` in jobsmith.yaml, or delete them by hand)`,
    });
  }

  // ---- safety rules over the whole plan
  let finalChanges = changes;
  if (input.holdDeletions !== undefined) finalChanges = holdDestructive(finalChanges, input.holdDeletions);
  if (opts.branchTeardownOnly) finalChanges = holdAllButBranchTeardown(finalChanges);
  const managedCount = managedJobs.length;
  const empty = emptyDefinitionsProblem(input.projectCount, managedCount, opts.allowEmpty ?? false);
  if (empty) problems.push(empty);
  const mass = massDeleteProblem(finalChanges, managedCount, opts.massDelete ?? DEFAULT_MASS_DELETE, opts.allowMassDelete ?? false);
  if (mass) problems.push(mass);
  finalChanges = archiveFirst(finalChanges, opts.archive, input.desired.archiveOptOut, new Set(input.observed.items.filter((i) => i.isFolder).map((i) => i.fullName)));

  const summary = emptySummary();
  for (const c of finalChanges) summary[c.kind]++;
  return {
    format: 'jobsmith-plan',
    version: 1,
    createdAt: nowIso,
    options: { removed, allowMassDelete: opts.allowMassDelete ?? false, adopt: opts.adopt ?? false, verify: input.observedConfigs !== undefined || input.verifiedConfigs !== undefined, only: opts.only ?? [], ...(opts.allowEmpty ? { allowEmpty: true } : {}) },
    changes: finalChanges,
    problems,
    summary,
    refused: problems.some((p) => p.category === 'refused'),
    managedCount,
    owner,
    ownership,
    ...(opts.archive ? { archive: { ...opts.archive } } : {}),
  };
}

/**
 * Whether a managed job is enabled or disabled after this run. A config push sets `<disabled>` to what
 * the template says, so after one the wanted state is asserted again:
 * - the definition disables it → disabled;
 * - retired by jobsmith (`gone=`) and desired again → enabled;
 * - disabled by hand in Jenkins (no `gone=`) → stays disabled (a push does not undo it).
 */
function enableOrDisable(job: DesiredJob, observedDisabled: boolean, gone: string | undefined, pushed: boolean): Pick<Change, 'kind' | 'reason' | 'code' | 'params'> | undefined {
  // a template may itself say `<disabled>true</disabled>`: then the push leaves the job disabled
  const pushesDisabled = pushed && templateDisables(job);
  if (job.disabled) {
    if ((!observedDisabled && !pushed) || (pushed && !pushesDisabled)) return { kind: 'disable', reason: 'the definition disables it', code: 'definition-disables' };
    return undefined;
  }
  if (!observedDisabled) return undefined;
  if (gone !== undefined) return pushesDisabled ? undefined : { kind: 'enable', reason: job.branch !== undefined ? `branch ${job.branch} is back: re-enabled` : 'back in the definitions: re-enabled', code: 're-enabled', ...(job.branch !== undefined ? { params: { branch: job.branch } } : {}) };
  if (pushed && !pushesDisabled) return { kind: 'disable', reason: 'disabled in Jenkins: kept disabled after the config update', code: 'disabled-in-jenkins' };
  return undefined;
}

function templateDisables(job: DesiredJob): boolean {
  try {
    return readRootChild(job.config, 'disabled')?.trim() === 'true';
  } catch {
    return false;
  }
}

/** A view as Jenkins will list it after the moves: a renamed job keeps its entry, a job moved to another folder leaves the listing. */
function followMoves(v: ObservedView, movedFrom: ReadonlyMap<string, string>): ObservedView {
  const jobs: string[] = [];
  for (const j of v.jobs) {
    const to = movedFrom.get(j);
    if (to === undefined) jobs.push(j);
    else if (parentOf(to) === parentOf(j)) jobs.push(to);
  }
  return { ...v, jobs };
}

export { parentOf };
