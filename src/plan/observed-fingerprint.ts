/**
 * A fingerprint of the observed Jenkins state, as far as a plan depends on it: every item's name,
 * class, description (the marker) and disabled flag, the building flag of items the plan
 * deletes, and every root view's jobs (views inside folders are not part of it). Build results (ball colours) do not count, so a finished build
 * does not make a saved plan stale; a new job, an edited marker or a started build on a job to
 * delete does.
 */
import { createHash } from 'node:crypto';
import type { ObservedState } from '../model/observed.js';
import type { Change } from '../model/plan.js';
import { viewKey } from './plan-views.js';

export function observedFingerprint(observed: ObservedState, changes: readonly Change[]): string {
  const deleting = new Set(changes.filter((c) => c.kind === 'delete' || c.kind === 'replace').map((c) => c.fullName));
  const lines = observed.items.map((i) =>
    [i.fullName, i.className, i.isFolder ? 'F' : 'J', i.disabled ? 'D' : 'E', deleting.has(i.fullName) && i.building ? 'B' : '', i.description ?? ''].join('\t'),
  );
  lines.sort();
  const views = observed.views.filter((v) => v.folder.length === 0).map((v) => ['view', viewKey(v.name, v.folder), v.className, [...v.jobs].sort().join(','), v.description ?? ''].join('\t'));
  views.sort();
  const h = createHash('sha256');
  for (const l of lines) h.update(l + '\n');
  for (const l of views) h.update(l + '\n');
  return 'sha256:' + h.digest('hex');
}
