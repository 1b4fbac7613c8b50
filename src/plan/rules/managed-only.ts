/**
 * Rule: a run only ever updates, moves, disables or deletes items it owns under their own name.
 * What an item is to a run, from its marker (src/plan/marker.ts) and the run's owner id:
 *
 * - `own`        v2 marker, this owner, and the marker names the item itself: managed.
 * - `displaced`  v2 marker, this owner, but it names another item: a copy (`createItem?mode=copy`
 *                keeps the description) or a job renamed/moved in Jenkins. Never changed or deleted
 *                (reported; `--adopt` takes it over).
 * - `foreign`    v2 marker of another owner (another definitions repository): never touched.
 * - `legacy`     v1 marker (no owner, no name): managed only by a run that desires a job of exactly
 *                its name (the planner decides, and upgrades the marker); otherwise left alone.
 * - `shared-default`  v2 marker of the owner `default`, which every plain directory (no `owner:`, no
 *                git remote) shared before a plain directory's owner became its own path
 *                (src/sync/owner-id.ts): such jobs may belong to any plain directory, so a run whose
 *                owner is not `default` never deletes them; it takes one over only where its
 *                definitions want that very item under its own name (a job: with the same project,
 *                template and branch), and then the marker records the run's owner. Otherwise left alone.
 * - `unmanaged`  no valid marker: reported when in the way, never touched (unless `--adopt`).
 */
import type { ObservedItem } from '../../model/observed.js';
import { markerVersion, parseMarker, type Marker } from '../marker.js';
import { isAsideOf } from '../aside-name.js';

/** The owner id that plain directories shared before each got its own (and library callers' default). */
export const DEFAULT_OWNER = 'default';

export type Ownership = 'own' | 'displaced' | 'foreign' | 'legacy' | 'shared-default' | 'unmanaged';

export interface ClassifiedItem {
  item: ObservedItem;
  /** The item's marker, when it has a valid one (whoever wrote it). */
  marker?: Marker;
  ownership: Ownership;
  /** How an item that is not plainly `own` came to be managed by this run (legacy upgrade, interrupted move, the former shared owner). */
  claimed?: Claim;
}

export type Claim = 'legacy' | 'moved-here' | 'moving' | 'aside' | 'shared-default';

export function ownershipOf(marker: Marker | undefined, fullName: string, owner: string): Ownership {
  if (!marker) return 'unmanaged';
  if (markerVersion(marker) === 1) return 'legacy';
  if (marker.owner !== owner) return marker.owner === DEFAULT_OWNER ? 'shared-default' : 'foreign';
  return marker.name === fullName ? 'own' : 'displaced';
}

export function classifyItem(item: ObservedItem, owner: string): ClassifiedItem {
  const marker = parseMarker(item.description);
  const ownership = ownershipOf(marker, item.fullName, owner);
  return marker ? { item, marker, ownership } : { item, ownership };
}

/** What the definitions want at an item's name: a job (with its identity) or a folder. */
export type Wanted = { kind: 'job'; identity: string } | { kind: 'folder' };

/**
 * May this run claim an item that is not plainly its own? Only where its definitions want that very
 * item (the planner asks for desired names; `apply FILE` for the names its changes update):
 * - `legacy`: an old (v1) marker of the same kind: it becomes this owner's (the marker is upgraded);
 * - `moved-here`: this owner's marker naming a job that is gone, with the identity wanted here: a move
 *   that stopped before its marker was rewritten, or a move made by hand to where it belongs.
 */
export function claimFor(c: ClassifiedItem, wanted: Wanted | undefined, exists: (fullName: string) => boolean): Claim | undefined {
  if (!wanted || !c.marker) return undefined;
  if (c.ownership === 'shared-default') {
    // the former shared owner: only the very item, under its own name (and for a job, the same identity)
    if (c.marker.name !== c.item.fullName) return undefined;
    if (wanted.kind === 'folder' && c.marker.kind === 'folder' && c.item.isFolder) return 'shared-default';
    if (wanted.kind === 'job' && c.marker.kind === 'job' && jobIdentity(c.marker) === wanted.identity) return 'shared-default';
    return undefined;
  }
  if (c.ownership === 'legacy') {
    if (wanted.kind === 'folder' && c.marker.kind === 'folder' && c.item.isFolder) return 'legacy';
    if (wanted.kind === 'job' && c.marker.kind === 'job') return 'legacy';
    return undefined;
  }
  if (c.ownership === 'displaced' && wanted.kind === 'job' && c.marker.kind === 'job') {
    if (jobIdentity(c.marker) === wanted.identity && !exists(c.marker.name!)) return 'moved-here';
  }
  return undefined;
}

/**
 * Leftovers of a change jobsmith stopped half-way (a crash, Ctrl-C, a failed step), which carry this
 * owner's marker naming another item; the run claims them to finish the change:
 * - `moving`: the marker names a job the definitions want that does not exist, with that job's
 *   identity, and says jobsmith left it half-way: a move in two steps (folder and name; apply first
 *   writes the target's marker with `from=`, ../marker.ts) that stopped before it arrived, or a
 *   replacement that stopped after renaming the old job aside (its name is the aside name). A job a
 *   person renamed or moved in Jenkins has neither: it stays `displaced`, never touched. The
 *   planner moves it on (or, when the type changes, deletes it once the new one exists). The caller
 *   claims it only when no other item is such a candidate for the same name.
 * - `aside`: an item at the name a replacement of the marker's item parks the old one under
 *   (../aside-name.ts) that is not `moving`: the replacement stopped before deleting it; it goes.
 */
export function claimLeftover(c: ClassifiedItem, desiredIdentityAt: (fullName: string) => string | undefined, exists: (fullName: string) => boolean): 'moving' | 'aside' | undefined {
  if (c.ownership !== 'displaced' || !c.marker || c.marker.kind !== 'job' || c.marker.name === undefined) return undefined;
  const target = c.marker.name;
  // only what jobsmith itself left half-way: a person's rename keeps the old marker, which names no move
  const halfWay = c.marker.from !== undefined || isAsideOf(c.item.fullName, target);
  if (halfWay && !exists(target) && desiredIdentityAt(target) === jobIdentity(c.marker)) return 'moving';
  if (isAsideOf(c.item.fullName, target)) return 'aside';
  return undefined;
}

/**
 * An item made from a template that this run manages (after the planner settled legacy items and
 * interrupted moves): a job, or a folder-type item (folder, multibranch project, organization
 * folder) whose template has such a root. They are managed alike (created, updated, verified,
 * moved, deleted); what a folder-type item holds is ./folder-contents.ts.
 */
export function isManagedJob(c: ClassifiedItem): c is ClassifiedItem & { marker: Marker } {
  return c.ownership === 'own' && c.marker?.kind === 'job';
}

/** A folder jobsmith made to hold jobs (marker `kind=folder`). */
export function isManagedFolder(c: ClassifiedItem): c is ClassifiedItem & { marker: Marker } {
  return c.ownership === 'own' && c.marker?.kind === 'folder' && c.item.isFolder;
}

/** The identity of a managed job: it is "the same job" wherever it is (used to find moves). */
export function jobIdentity(m: { project?: string | undefined; template?: string | undefined; branch?: string | undefined }): string {
  return `${m.project ?? ''}\u0000${m.template ?? ''}\u0000${m.branch ?? ''}`;
}

/** Words for what an item is to this run, for conflicts and notices. */
export function describeOwnership(c: ClassifiedItem): string {
  switch (c.ownership) {
    case 'displaced':
      return `it carries the marker of ${c.marker!.name} (a copy, or renamed or moved in Jenkins): not managed`;
    case 'foreign':
      return `it is managed by other definitions (owner ${c.marker!.owner})`;
    case 'legacy':
      return 'it has an old jobsmith marker (v1) that this run cannot claim';
    case 'shared-default':
      return `it was made from a plain directory with the former shared owner ${DEFAULT_OWNER} (not necessarily these definitions: set \`owner: ${DEFAULT_OWNER}\` in jobsmith.yaml if it is theirs, or --adopt)`;
    case 'unmanaged':
      return 'it is not managed by jobsmith';
    default:
      return 'it is managed by these definitions';
  }
}
