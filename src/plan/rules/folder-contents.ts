/**
 * Rule: a folder-type item (a folder, multibranch project or organization folder made from a
 * template, or a folder jobsmith made to hold jobs) is deleted or replaced only when nothing in it
 * would be lost:
 *
 * - a computed folder (multibranch project, organization folder): its children are Jenkins' own
 *   (branch projects, repositories) and go with it, as when it is deleted in Jenkins;
 * - any other folder: only when everything inside goes in the same plan (deleted, or moved away);
 *   an item jobsmith does not own, or one that stays, holds the folder (reported, not deleted).
 *
 * A computed folder whose children are building is not deleted either (Jenkins would abort the
 * builds): see ./running-builds.ts, which asks `building` here.
 *
 * Nor is a folder deleted while it holds a view a person made (views are never deleted: a view in a
 * folder goes with it; `heldViews`): any view but Jenkins' own All view, views this plan deletes
 * itself, and list views that are exactly what jobsmith writes for a definition's `view:` (their
 * configs read by plan-sync); a computed folder's views are Jenkins' own. And a folder jobsmith made (marker `kind=folder`) is
 * deleted only while nobody configured it since: no description text besides the marker, no folder
 * properties (folder credentials, environment, ...): `folderAdditions` reads its config.
 */
import type { ObservedItem, ObservedView } from '../../model/observed.js';
import { isComputedFolderClass } from '../../model/item-types.js';
import { readRootChildElements } from '../../xml/root-description.js';
import { normalConfig } from '../../xml/semantic-compare.js';
import { listViewConfig } from '../list-view-config.js';
import { readDescription } from '../config-description.js';
import { parseMarker, stripMarker } from '../marker.js';

export interface FolderContents {
  /** Items under the folder that would be lost (they do not go in this plan). */
  held: ObservedItem[];
  /** Some item under it has a running build. */
  building: boolean;
}

/**
 * What deleting `folder` would take with it. `goingAway`: full names (lower-cased) deleted or moved
 * away in the same plan. The views in it that it would lose (`heldViews`, the one rule for views)
 * count as held items (`view <folder>/<name>`); `viewContext.goingAway` says which views the plan
 * deletes itself (default: every view made from a template, which carries a marker) and
 * `viewContext.configs` the list views' configs.
 */
export function folderContents(
  folder: ObservedItem,
  items: readonly ObservedItem[],
  goingAway: ReadonlySet<string>,
  views: readonly ObservedView[] = [],
  viewContext: { goingAway?: ReadonlySet<string>; configs?: ReadonlyMap<string, string> } = {},
): FolderContents {
  const prefix = folder.fullName.toLowerCase() + '/';
  const inside = items.filter((i) => i.fullName.toLowerCase().startsWith(prefix));
  const computed = isComputedFolderClass(folder.className);
  const held = computed ? [] : inside.filter((i) => !goingAway.has(i.fullName.toLowerCase()) && !underAny(i.fullName.toLowerCase(), goingAway, prefix));
  const viewsGoing = viewContext.goingAway ?? new Set(views.filter((v) => parseMarker(v.description)?.kind === 'view').map((v) => `${v.folder.join('/')}/${v.name}`.toLowerCase()));
  for (const v of heldViews(folder, views, viewsGoing, viewContext.configs)) {
    held.push({ fullName: `view ${v.folder.join('/')}/${v.name}`, name: v.name, className: v.className, description: v.description ?? null, isFolder: false, disabled: false, building: false });
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

/**
 * Views deleting `folder` would lose: any directly in it but Jenkins' All view,
 * those in `goingAway` (view keys, lower-cased) and, when `configs` (view key → config) is given,
 * list views that are exactly what jobsmith writes for a definition's `view:`.
 */
export function heldViews(folder: ObservedItem, views: readonly ObservedView[], goingAway: ReadonlySet<string>, configs?: ReadonlyMap<string, string>): ObservedView[] {
  if (isComputedFolderClass(folder.className)) return [];
  const path = folder.fullName.toLowerCase();
  return views.filter((v) => {
    // views of a folder inside: that folder is an item, held or deleted under its own check
    if (v.folder.join('/').toLowerCase() !== path) return false;
    if (v.className === 'hudson.model.AllView') return false;
    const key = `${v.folder.join('/')}/${v.name}`;
    if (goingAway.has(key.toLowerCase())) return false;
    const config = configs?.get(key);
    return !(v.className === LIST_VIEW && config !== undefined && isDefinitionListView(config));
  });
}

const LIST_VIEW = 'hudson.model.ListView';
/** What a definition's list view holds besides its name and jobs (src/plan/list-view-config.ts), in normal form. */
const LIST_VIEW_PARTS: ReadonlySet<string> = new Set(['name', 'jobNames', 'recurse']);
const definitionViewForm = normalConfig(listViewConfig('view', []), { ignoreRootChildren: LIST_VIEW_PARTS });

/**
 * Is this list view config exactly what jobsmith writes for a definition's `view:` (its name and
 * jobs aside: they follow the jobs, which leave with the folder)? No description, no filters, no
 * regular expression, the same columns. A person's list view that is exactly that holds nothing
 * that would be lost.
 */
export function isDefinitionListView(config: string): boolean {
  try {
    return normalConfig(config, { ignoreRootChildren: LIST_VIEW_PARTS }) === definitionViewForm;
  } catch {
    return false;
  }
}

/** Words for held views: `web/Alice-view, web/Team (2 views)`. */
export function describeViews(views: readonly ObservedView[]): string {
  const names = views.slice(0, 3).map((v) => `view ${[...v.folder, v.name].join('/')}`).join(', ');
  return `${names}${views.length > 3 ? `, ... (${views.length} views)` : ''}`;
}

/**
 * What a person configured on a folder jobsmith made, read from its config as Jenkins holds it:
 * description text besides the marker, folder properties. Empty when there is nothing; a config
 * that cannot be read counts as configured (it is not deleted).
 */
export function folderAdditions(config: string): string[] {
  const out: string[] = [];
  try {
    if (stripMarker(readDescription(config)).trim() !== '') out.push('a description');
    const props = readRootChildElements(config, 'properties') ?? [];
    if (props.length > 0) out.push(`folder properties (${props.map((p) => p.slice(p.lastIndexOf('.') + 1)).join(', ')})`);
  } catch {
    out.push('a config jobsmith cannot read');
  }
  return out;
}
