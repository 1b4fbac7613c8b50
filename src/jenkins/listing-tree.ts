/**
 * The one `api/json?tree=` request that lists everything, and its flattening into ObservedState.
 *
 * The tree selects `name,fullName,description,color` and the folder's views on every item, nested
 * `depth` levels; on the deepest level `jobs` is selected bare, which Jenkins answers with one
 * `{"_class":…}` per child: a non-empty list there marks a folder deeper than the tree, and only
 * such a folder gets a follow-up request.
 */
import type { ObservedItem, ObservedState, ObservedView } from '../model/observed.js';

export const DEFAULT_LIST_DEPTH = 6;

const ITEM_FIELDS = 'name,fullName,description,color';
const VIEW_FIELDS = 'views[name,description,jobs[fullName]]';

function jobsNode(levels: number): string {
  const inner = levels <= 1 ? 'jobs' : jobsNode(levels - 1);
  return `jobs[${ITEM_FIELDS},${VIEW_FIELDS},${inner}]`;
}

/** The `tree` value for a listing of `depth` nesting levels (>= 1), views included. */
export function listingTree(depth: number = DEFAULT_LIST_DEPTH): string {
  if (!Number.isInteger(depth) || depth < 1) throw new RangeError('listing depth must be a positive integer');
  return `${jobsNode(depth)},${VIEW_FIELDS}`;
}

export interface FlatListing extends ObservedState {
  /** Full names of folders whose children lie beyond the tree depth (need a follow-up request). */
  deeper: string[];
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function viewsOf(node: Json, folder: string[], out: ObservedView[]): void {
  if (!Array.isArray(node.views)) return;
  const prefix = folder.length ? folder.join('/') + '/' : '';
  for (const v of node.views) {
    if (!isObject(v)) continue;
    const name = str(v.name);
    if (name === undefined) continue;
    const jobs: string[] = [];
    if (Array.isArray(v.jobs)) {
      for (const j of v.jobs) {
        if (!isObject(j)) continue;
        const full = str(j.fullName) ?? (str(j.name) !== undefined ? prefix + str(j.name) : undefined);
        if (full !== undefined) jobs.push(full);
      }
    }
    out.push({ name, folder: [...folder], className: str(v._class) ?? '', jobs, description: str(v.description) ?? null });
  }
}

/**
 * Flatten one listing response. `parent` is the full name of the object the request was made on
 * (`''` for the root); its own views are collected with that folder path.
 */
export function flattenListing(root: unknown, parent = '', opts: { rootViews?: boolean } = {}): FlatListing {
  const out: FlatListing = { items: [], views: [], deeper: [] };
  if (!isObject(root)) throw new TypeError('listing response is not a JSON object');
  // A listing always carries `jobs` (possibly empty); without it the answer is not a listing.
  if (!Array.isArray(root.jobs)) throw new TypeError('listing response has no "jobs" list');
  if (opts.rootViews !== false) viewsOf(root, parent === '' ? [] : parent.split('/'), out.views);

  const walk = (entries: unknown[], parentPath: string): void => {
    for (const e of entries) {
      if (!isObject(e)) continue;
      const name = str(e.name);
      if (name === undefined) {
        // Bare `{"_class":…}` entries: the deepest level of the tree; the caller saw them as "deeper".
        continue;
      }
      const fullName = str(e.fullName) ?? (parentPath ? `${parentPath}/${name}` : name);
      const color = str(e.color);
      const isFolder = Array.isArray(e.jobs);
      const item: ObservedItem = {
        fullName,
        name,
        className: str(e._class) ?? '',
        description: str(e.description) ?? null,
        isFolder,
        disabled: color === 'disabled' || color === 'disabled_anime',
        building: color !== undefined && color.endsWith('_anime'),
      };
      if (color !== undefined) item.color = color;
      out.items.push(item);
      if (isFolder) {
        viewsOf(e, fullName.split('/'), out.views);
        const children = e.jobs as unknown[];
        if (children.length > 0 && children.every((c) => isObject(c) && str(c.name) === undefined)) {
          out.deeper.push(fullName);
        } else {
          walk(children, fullName);
        }
      }
    }
  };
  walk(root.jobs, parent);
  return out;
}
