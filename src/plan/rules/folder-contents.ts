/**
 * Rule: a folder-type item (a folder, multibranch project or organization folder made from a
 * template, or a folder jobsmith made to hold jobs) is deleted or replaced only when nothing in it
 * would be lost:
 *
 * - a computed folder (multibranch project, organization folder): its children are Jenkins' own
 *   (branch projects, repositories) and go with it, as when it is deleted in Jenkins;
 * - any other folder: only when everything inside goes in the same plan (deleted, or moved away);
 *   an item jobsmith does not own, or one that stays, holds the folder (reported, not deleted); so
 *   does a view a person made inside it (when the caller passes the views: any view but the folder's
 *   own All view and views made from templates, which carry a marker).
 *
 * A computed folder whose children are building is not deleted either (Jenkins would abort the
 * builds): see ./running-builds.ts, which asks `building` here.
 */
import type { ObservedItem, ObservedView } from '../../model/observed.js';
import { isComputedFolderClass } from '../../model/item-types.js';
import { parseMarker } from '../marker.js';

export interface FolderContents {
  /** Items under the folder that would be lost (they do not go in this plan). */
  held: ObservedItem[];
  /** Some item under it has a running build. */
  building: boolean;
}

/** What deleting `folder` would take with it. `goingAway`: full names (lower-cased) deleted or moved away in the same plan. */
export function folderContents(folder: ObservedItem, items: readonly ObservedItem[], goingAway: ReadonlySet<string>, views: readonly ObservedView[] = []): FolderContents {
  const prefix = folder.fullName.toLowerCase() + '/';
  const inside = items.filter((i) => i.fullName.toLowerCase().startsWith(prefix));
  const computed = isComputedFolderClass(folder.className);
  const held = computed ? [] : inside.filter((i) => !goingAway.has(i.fullName.toLowerCase()) && !underAny(i.fullName.toLowerCase(), goingAway, prefix));
  if (!computed) {
    for (const v of views) {
      const where = v.folder.join('/').toLowerCase();
      if (where !== folder.fullName.toLowerCase() || v.className === 'hudson.model.AllView' || parseMarker(v.description)?.kind === 'view') continue;
      held.push({ fullName: `view ${v.folder.join('/')}/${v.name}`, name: v.name, className: v.className, description: v.description ?? null, isFolder: false, disabled: false, building: false });
    }
  }
  return { held, building: inside.some((i) => i.building) };
}

/** Is `name` inside an item that goes away (deleted with its parent), other than the folder itself? */
function underAny(name: string, goingAway: ReadonlySet<string>, folderPrefix: string): boolean {
  for (let i = name.lastIndexOf('/'); i > folderPrefix.length - 1; i = name.lastIndexOf('/', i - 1)) {
    if (goingAway.has(name.slice(0, i))) return true;
  }
  return false;
}

/** Words for a folder's held items: `a/b, a/c, ... (5 items)`. */
export function describeHeld(held: readonly ObservedItem[]): string {
  const names = held.slice(0, 3).map((i) => i.fullName).join(', ');
  return `${names}${held.length > 3 ? `, ... (${held.length} items)` : ''}`;
}

/**
 * The last check before a plain folder is deleted (apply asks it with a fresh listing of the
 * folder, after the plan's deletes inside it): the plan judged it empty after this run from its
 * own listing, but someone may have made an item in it since (or a delete inside it failed).
 * Anything in it now holds the folder: kept and reported, never deleted with it.
 */
export function heldAtDelete(children: ReadonlyArray<{ fullName: string }>): string[] {
  return children.map((c) => c.fullName);
}

/**
 * A computed folder's jobs whose builds are archived before it is deleted (apply lists the folder
 * again at the delete, descending into its folder-type children): every item in it that is not
 * itself a folder (branch jobs; an organization folder's repositories hold them).
 */
export function jobsToArchive(descendants: ReadonlyArray<{ fullName: string; isFolder: boolean }>): string[] {
  return descendants.filter((d) => !d.isFolder).map((d) => d.fullName);
}
