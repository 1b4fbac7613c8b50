/**
 * `apply FILE` does not trust the file: before anything is sent, every change of a saved plan is
 * checked again against a fresh listing, with the planner's own rules (one home each):
 *
 * - who owns what (./rules/managed-only.ts): an update, move, disable, enable or delete targets an
 *   item that still carries this owner's marker under its own name (or that the planner would claim:
 *   an old v1 marker, an interrupted move); an adoption never takes another owner's item; a create
 *   or a move's destination does not exist yet;
 * - what is written: every config pushed carries this owner's marker naming the item it is written to,
 *   and (given the definitions' render) is exactly what the planner would push; an adoption is of a
 *   name the definitions want;
 * - a folder, or a folder-type item, is deleted or replaced only when nothing in it would be lost
 *   (./rules/folder-contents.ts);
 * - a view loses only jobs this owner manages (or moves);
 * - running builds (./rules/running-builds.ts): no deletion of a job that is building now;
 * - the mass-delete guard (./rules/mass-delete-guard.ts) and the empty-definitions guard
 *   (./rules/empty-definitions.ts), computed again over the fresh listing;
 * - the plan was made for this owner, with `--adopt` when it adopts, and not refused.
 *
 * Pure: the caller lists Jenkins and counts the projects. Any reason refuses the whole plan.
 */
import type { DesiredState } from '../model/desired-job.js';
import type { ObservedState } from '../model/observed.js';
import { ACTING_KINDS, type Change, type Plan } from '../model/plan.js';
import { readDescription } from './config-description.js';
import { markerVersion, parseMarker } from './marker.js';
import { pushedFolderConfig, pushedJobConfig } from './make-plan.js';
import { emptyDefinitionsProblem } from './rules/empty-definitions.js';
import { claimFor, claimLeftover, classifyItem, describeOwnership, isManagedFolder, isManagedJob, jobIdentity, type ClassifiedItem } from './rules/managed-only.js';
import { describeHeld, folderContents } from './rules/folder-contents.js';
import { FOLDER_CLASS } from '../model/item-types.js';
import { DEFAULT_MASS_DELETE, massDeleteProblem } from './rules/mass-delete-guard.js';
import { viewKey } from './plan-views.js';
import { ownViewMarker, pushedViewConfig } from './plan-template-views.js';

export interface RecheckInput {
  plan: Plan;
  observed: ObservedState;
  /** The owner id of the definitions apply runs in. */
  owner: string;
  /** Projects in those definitions (for the empty-definitions guard). */
  projectCount?: number;
  /**
   * What the definitions render now (without branch jobs). When given, every config a change writes
   * for a job or folder found here must be exactly what the planner would push, and an adoption must
   * be of a name the definitions want (branch jobs, which need the branch listings, are checked by
   * their marker only).
   */
  desired?: DesiredState;
}

function parentOf(fullName: string): string {
  const i = fullName.lastIndexOf('/');
  return i < 0 ? '' : fullName.slice(0, i);
}

/** Why the saved plan must not be applied (empty: it may). */
export function recheckPlan(input: RecheckInput): string[] {
  const { plan, owner } = input;
  const why: string[] = [];
  if (plan.refused) why.push('the plan was refused when it was made');
  if (plan.owner !== undefined && plan.owner !== owner) why.push(`the plan was made for owner ${plan.owner}; these definitions are owner ${owner}`);
  if (plan.owner === undefined) why.push('the plan records no owner (made by an older jobsmith): make a new plan');

  const classified = input.observed.items.map((i) => classifyItem(i, owner));
  const byName = new Map<string, ClassifiedItem>();
  const byLower = new Map<string, ClassifiedItem>();
  for (const c of classified) {
    byName.set(c.item.fullName, c);
    byLower.set(c.item.fullName.toLowerCase(), c);
  }
  const lookup = (n: string): ClassifiedItem | undefined => byName.get(n) ?? byLower.get(n.toLowerCase());
  const exists = (n: string): boolean => lookup(n) !== undefined;

  /** The item, when this owner manages it (or the planner would claim it for a job the definitions want there). */
  const owned = (c: Change, kind: 'job' | 'folder', claimable: boolean): ClassifiedItem | undefined => {
    const o = lookup(c.fullName);
    if (!o) {
      why.push(`${c.kind} ${c.fullName}: it does not exist in Jenkins`);
      return undefined;
    }
    const isOwn = kind === 'job' ? isManagedJob(o) : isManagedFolder(o);
    const leftover = !isOwn && kind === 'job' && c.kind === 'delete' && claimLeftover(o, () => undefined, exists) === 'aside';
    const claimed = leftover || (claimable && !isOwn && claimFor(o, kind === 'folder' ? { kind: 'folder' } : { kind: 'job', identity: jobIdentity(c) }, exists) !== undefined);
    if (!isOwn && !claimed) {
      why.push(`${c.kind} ${c.fullName}: ${describeOwnership(o)}`);
      return undefined;
    }
    return o;
  };
  const absent = (c: Change, name: string = c.fullName): void => {
    const o = lookup(name);
    if (o) why.push(`${c.kind} ${c.fullName}: ${name} exists already in Jenkins (${describeOwnership(o)})`);
  };
  const desiredJobs = new Map((input.desired?.jobs ?? []).map((j) => [j.fullName.toLowerCase(), j]));
  const desiredFolders = new Map((input.desired?.folders ?? []).map((f) => [f.fullName.toLowerCase(), f]));
  const carriesMarker = (c: Change, kind: 'job' | 'folder', name: string): void => {
    if (c.config === undefined) {
      why.push(`${c.kind} ${c.fullName}: no config in the plan`);
      return;
    }
    let m;
    try {
      m = parseMarker(readDescription(c.config));
    } catch {
      m = undefined;
    }
    if (!m || markerVersion(m) !== 2 || m.kind !== kind || m.owner !== owner || m.name !== name) {
      why.push(`${c.kind} ${c.fullName}: the config it would write does not carry this owner's marker for ${name}`);
      return;
    }
    if (input.desired && c.branch === undefined) {
      const lower = c.fullName.toLowerCase();
      const expected = kind === 'job' ? (desiredJobs.has(lower) ? pushedJobConfig(desiredJobs.get(lower)!, owner, name) : undefined) : desiredFolders.has(lower) ? pushedFolderConfig(desiredFolders.get(lower)!.config, owner, name) : undefined;
      if (expected === undefined && kind === 'job') {
        why.push(`${c.kind} ${c.fullName}: the definitions do not make this job`);
        return;
      }
      if (expected !== undefined && c.config !== expected) {
        why.push(`${c.kind} ${c.fullName}: the config it would write is not what the definitions render`);
        return;
      }
    }
  };

  const acting = plan.changes.filter((c) => ACTING_KINDS.includes(c.kind));
  const deleting = new Set(acting.filter((c) => c.target !== 'view' && (c.kind === 'delete' || c.kind === 'replace')).map((c) => c.fullName.toLowerCase()));
  const movingAway = new Set(acting.filter((c) => c.kind === 'move' && c.from !== undefined).map((c) => c.from!.toLowerCase()));
  // an item not plainly this owner's may be enabled/disabled only where the same plan writes this owner's marker into it
  const writtenHere = new Set(acting.filter((c) => c.target === 'job' && (c.kind === 'update' || c.kind === 'replace')).map((c) => c.fullName.toLowerCase()));
  for (const c of acting) {
    if (c.target === 'view') {
      checkView(c);
      continue;
    }
    const kind = c.target === 'folder' ? 'folder' : 'job';
    if (kind === 'folder' && !['create', 'update', 'delete'].includes(c.kind)) {
      why.push(`${c.kind} ${c.fullName}: not something a plan does to a folder`);
      continue;
    }
    switch (c.kind) {
      case 'create':
        absent(c);
        carriesMarker(c, kind, c.fullName);
        break;
      case 'move': {
        if (kind !== 'job' || c.from === undefined) {
          why.push(`move ${c.fullName}: a move needs a job to move from`);
          break;
        }
        const src = lookup(c.from);
        if (!src) why.push(`move ${c.from} -> ${c.fullName}: ${c.from} does not exist in Jenkins`);
        else if (!isManagedJob(src) && claimLeftover(src, (n) => (n.toLowerCase() === c.fullName.toLowerCase() ? jobIdentity(c) : undefined), exists) !== 'moving') why.push(`move ${c.from} -> ${c.fullName}: ${describeOwnership(src)}`);
        else if (src.item.building) why.push(`move ${c.from} -> ${c.fullName}: a build is running`);
        // a rename that only changes the case finds the job itself at the new name
        if (c.from.toLowerCase() !== c.fullName.toLowerCase()) absent(c);
        if (c.via !== undefined) {
          absent(c, c.via);
          const v = parentOf(c.via);
          if (v !== parentOf(c.from) && v !== parentOf(c.fullName)) why.push(`move ${c.from} -> ${c.fullName}: it would pass through ${c.via}, outside both folders`);
        }
        carriesMarker(c, 'job', c.fullName);
        break;
      }
      case 'update':
      case 'replace': {
        const o = owned(c, kind, true);
        if (c.kind === 'replace' && c.via !== undefined) {
          absent(c, c.via);
          if (parentOf(c.via) !== parentOf(c.fullName)) why.push(`replace ${c.fullName}: its old item would be renamed to ${c.via}, outside its folder`);
        }
        if (o && c.kind === 'replace' && o.item.isFolder) {
          const contents = folderContents(o.item, input.observed.items, new Set(), input.observed.views);
          if (contents.held.length > 0) why.push(`replace ${c.fullName}: it holds ${describeHeld(contents.held)}, which replacing it would delete`);
          if (contents.building) why.push(`replace ${c.fullName}: a build is running inside it`);
        }
        const name = kind === 'folder' || c.kind === 'update' ? (o?.item.fullName ?? c.fullName) : c.fullName;
        carriesMarker(c, kind, name);
        break;
      }
      case 'adopt': {
        const o = lookup(c.fullName);
        if (!o) why.push(`adopt ${c.fullName}: it does not exist in Jenkins`);
        else if (o.ownership === 'foreign' || isManagedFolder(o)) why.push(`adopt ${c.fullName}: ${o.ownership === 'foreign' ? describeOwnership(o) : 'it is a folder jobsmith made to hold jobs'}`);
        if (!plan.options.adopt) why.push(`adopt ${c.fullName}: the plan was made without --adopt`);
        carriesMarker(c, 'job', o?.item.fullName ?? c.fullName);
        break;
      }
      case 'enable':
        owned(c, 'job', writtenHere.has(c.fullName.toLowerCase()));
        break;
      case 'disable':
        // retiring (the job left the definitions) only ever concerns the owner's own jobs
        owned(c, 'job', c.retire === undefined && writtenHere.has(c.fullName.toLowerCase()));
        break;
      case 'delete': {
        const o = owned(c, kind, false);
        if (o && kind === 'job' && o.item.building) why.push(`delete ${c.fullName}: a build is running`);
        if (o && o.item.isFolder) {
          const gone = new Set([...deleting, ...movingAway]);
          const contents = folderContents(kind === 'folder' ? { ...o.item, className: FOLDER_CLASS } : o.item, input.observed.items, gone, kind === 'job' ? input.observed.views : []);
          if (contents.held.length > 0) why.push(`delete ${kind === 'folder' ? 'folder ' : ''}${c.fullName}: it still holds ${describeHeld(contents.held)}`);
          if (kind === 'job' && contents.building) why.push(`delete ${c.fullName}: a build is running inside it`);
        }
        break;
      }
      default:
        why.push(`${c.kind} ${c.fullName}: not an action`);
    }
  }

  function checkView(c: Change): void {
    if (!c.view || !['create', 'update', 'delete', 'replace', 'adopt'].includes(c.kind)) {
      why.push(`${c.kind} view ${c.fullName}: not something a plan does to a view`);
      return;
    }
    const key = viewKey(c.view.name, c.view.folder);
    const o = input.observed.views.find((v) => viewKey(v.name, v.folder) === key);
    // a view made from a template: its whole config is written, under this owner's view marker
    const templateView = c.config !== undefined && (c.kind !== 'create' || configMarker(c.config)?.kind === 'view');
    if (templateView || c.kind === 'delete' || c.kind === 'replace' || c.kind === 'adopt') {
      if (c.kind === 'create' && o) why.push(`create view ${key}: it exists already`);
      if (c.kind !== 'create') {
        if (!o) why.push(`${c.kind} view ${key}: it does not exist in Jenkins`);
        else if (c.kind === 'adopt') {
          const m = parseMarker(o.description);
          if (m?.owner !== undefined && m.owner !== owner) why.push(`adopt view ${key}: it is managed by other definitions (owner ${m.owner})`);
          if (!plan.options.adopt) why.push(`adopt view ${key}: the plan was made without --adopt`);
        } else if (!ownViewMarker(o, owner)) why.push(`${c.kind} view ${key}: it does not carry this owner's view marker`);
      }
      if (c.kind !== 'delete') {
        const m = configMarker(c.config ?? '');
        if (!m || markerVersion(m) !== 2 || m.kind !== 'view' || m.owner !== owner || m.name !== key) why.push(`${c.kind} view ${key}: the config it would write does not carry this owner's marker for it`);
        else if (input.desired) {
          const d = (input.desired.templateViews ?? []).find((v) => v.fullName === key);
          if (!d) why.push(`${c.kind} view ${key}: the definitions do not make this view`);
          else if (pushedViewConfig(d, owner) !== c.config) why.push(`${c.kind} view ${key}: the config it would write is not what the definitions render`);
        }
      }
      return;
    }
    if (c.kind === 'create' && o) why.push(`create view ${key}: it exists already`);
    if (c.kind === 'update') {
      if (!o) why.push(`update view ${key}: it does not exist in Jenkins`);
      else if (o.className !== 'hudson.model.ListView') why.push(`update view ${key}: it is a ${o.className}, not a list view`);
      const prefix = c.view.folder.length ? c.view.folder.join('/') + '/' : '';
      for (const rel of c.view.remove) {
        const full = prefix + rel;
        const j = lookup(full);
        const mine = j !== undefined && j.ownership === 'own' && j.marker?.kind === 'job';
        if (!mine && !movingAway.has(full.toLowerCase())) why.push(`update view ${key}: would remove ${full}, which ${j ? describeOwnership(j).replace(/^it /, '') : 'does not exist'}`);
      }
    }
  }

  function configMarker(config: string): ReturnType<typeof parseMarker> {
    try {
      return parseMarker(readDescription(config));
    } catch {
      return undefined;
    }
  }

  // the guards, computed again over what Jenkins holds now
  const managedCount = classified.filter(isManagedJob).length;
  const mass = massDeleteProblem(plan.changes, managedCount, DEFAULT_MASS_DELETE, plan.options.allowMassDelete);
  if (mass?.category === 'refused') why.push(mass.message.replace(/^refusing to apply: /, ''));
  const empty = emptyDefinitionsProblem(input.projectCount, managedCount, plan.options.allowEmpty ?? false);
  if (empty) why.push(empty.message.replace(/^refusing to apply: /, ''));
  return [...new Set(why)];
}
