import picomatch from 'picomatch';
import type { ObservedItem, ObservedState } from '../model/observed.js';
import { parseMarker, type Marker } from '../plan/marker.js';
import { classForRoot } from '../model/item-types.js';

/** Which live jobs a bulk operation looks at (before any config condition). All given parts must hold. */
export interface JobSelector {
  /** Globs on the full name (`team-a/**`, `*-trunk`); any may match. */
  match?: string[];
  /** Regular expression on the full name. */
  regex?: RegExp;
  /** Only jobs inside this folder (at any depth). */
  folder?: string;
  /** Only jobs listed in this view (`name` at the root, `folder/name` in a folder). */
  view?: string;
  /** Root element or Jenkins class (`project`, `flow-definition`, `hudson.model.FreeStyleProject`); any may match. */
  types?: string[];
  /** true: only jobs jobsmith manages (see SelectedJob.marker); false: only the others. */
  managed?: boolean;
}

export interface SelectedJob {
  item: ObservedItem;
  /**
   * The job's jobsmith marker when some definitions manage it under its own name (its marker names
   * this job; or an old v1 marker, which names none). A copy made in Jenkins (its marker names the
   * original) is managed by no definitions: no sync changes it, so bulk treats it as unmanaged.
   */
  marker: Marker | undefined;
}

export class SelectorError extends Error {
  override name = 'SelectorError';
}

export function selectJobs(state: ObservedState, sel: JobSelector): SelectedJob[] {
  const globs = sel.match?.length ? picomatch(sel.match, { dot: true }) : undefined;
  let inView: Set<string> | undefined;
  if (sel.view !== undefined) {
    const segs = sel.view.split('/');
    const name = segs.pop()!;
    const view = state.views.find((v) => v.name === name && v.folder.join('/') === segs.join('/'));
    if (!view) throw new SelectorError(`no view '${sel.view}' in Jenkins (views: ${state.views.map((v) => [...v.folder, v.name].join('/')).join(', ') || 'none'})`);
    const prefix = segs.length ? segs.join('/') + '/' : '';
    inView = new Set(view.jobs.map((j) => (j.startsWith(prefix) ? j : prefix + j)));
  }
  const types = sel.types?.length ? new Set(sel.types.flatMap((t) => [t, classForRoot(t) ?? t])) : undefined;
  const folder = sel.folder?.replace(/^\/+|\/+$/g, '');
  const out: SelectedJob[] = [];
  for (const item of state.items) {
    if (item.isFolder) continue;
    if (globs && !globs(item.fullName)) continue;
    if (sel.regex && !sel.regex.test(item.fullName)) continue;
    if (folder !== undefined && folder !== '' && !item.fullName.startsWith(folder + '/')) continue;
    if (inView && !inView.has(item.fullName)) continue;
    if (types && !types.has(item.className)) continue;
    const marker = parseMarker(item.description);
    const managed = marker !== undefined && marker.kind === 'job' && (marker.name === undefined || marker.name === item.fullName);
    if (sel.managed !== undefined && sel.managed !== managed) continue;
    out.push({ item, marker: managed ? marker : undefined });
  }
  return out.sort((a, b) => (a.item.fullName < b.item.fullName ? -1 : a.item.fullName > b.item.fullName ? 1 : 0));
}
