/**
 * Views: a definition's `view` gets a ListView holding its jobs. Missing view → create it with
 * its jobs; existing ListView → add the desired jobs it lacks and remove the managed jobs the
 * definitions no longer make (kept or retired in Jenkins). Every other job stays: unmanaged ones,
 * and managed jobs a person added by hand (jobsmith cannot tell them from a job whose project now
 * names another view, so that one stays in its old view too). A view of another type with that
 * name → conflict. Views are never deleted (they may hold the user's own jobs).
 */
import type { DesiredView } from '../model/desired-job.js';
import type { ObservedView } from '../model/observed.js';
import type { Change } from '../model/plan.js';
import { listViewConfig } from './list-view-config.js';
import type { ScopeTest } from './rules/filter-scope.js';

const LIST_VIEW = 'hudson.model.ListView';

function relative(fullName: string, folder: string[]): string {
  const prefix = folder.length ? folder.join('/') + '/' : '';
  return prefix && fullName.startsWith(prefix) ? fullName.slice(prefix.length) : fullName;
}

export function viewKey(name: string, folder: readonly string[]): string {
  return folder.length ? `${folder.join('/')}/${name}` : name;
}

export function planViews(
  desired: readonly DesiredView[],
  observed: readonly ObservedView[],
  ctx: {
    inScope: ScopeTest;
    /** Managed jobs the definitions no longer make (kept, retired): the only jobs a view loses. */
    leftDefinitions: ReadonlySet<string>;
    goingAway: ReadonlySet<string>;
    /**
     * Jobs (lower-cased full names) that exist after this run: in Jenkins now, or created or moved
     * there by this plan. A desired job that does not (its move waits for a running build, its name
     * is taken) is added to its view by a later run: Jenkins refuses to add an unknown item.
     */
    willExist?: ReadonlySet<string>;
  },
): Change[] {
  const out: Change[] = [];
  const seen = new Map(observed.map((v) => [viewKey(v.name, v.folder), v]));
  for (const d of desired) {
    const key = viewKey(d.name, d.folder);
    const scoped = d.jobs.filter((j) => ctx.inScope(j));
    if (scoped.length === 0 && d.jobs.length > 0) continue; // view entirely outside --only
    const wanted = ctx.willExist ? scoped.filter((j) => ctx.willExist!.has(j.toLowerCase())) : scoped;
    const o = seen.get(key);
    const base = { target: 'view' as const, fullName: key };
    if (!o) {
      // with --only, the view holds the selected jobs; a later run adds the others
      const jobs = wanted.map((j) => relative(j, d.folder));
      out.push({
        ...base,
        kind: 'create',
        reason: `list view with ${jobs.length} job(s)`,
        code: 'view-new',
        params: { jobs: jobs.length },
        config: listViewConfig(d.name, jobs),
        view: { name: d.name, folder: d.folder, add: jobs, remove: [] },
      });
      continue;
    }
    if (o.className !== LIST_VIEW) {
      out.push({ ...base, kind: 'conflict', reason: `a view of class ${o.className} has this name; not touched`, code: 'view-other-class', params: { className: o.className } });
      continue;
    }
    const have = new Set(o.jobs.map((j) => j.toLowerCase()));
    const want = new Set(d.jobs.map((j) => j.toLowerCase()));
    const add = wanted.filter((j) => !have.has(j.toLowerCase())).map((j) => relative(j, d.folder));
    const remove = o.jobs
      .filter((j) => !want.has(j.toLowerCase()) && ctx.leftDefinitions.has(j) && !ctx.goingAway.has(j) && ctx.inScope(j))
      .map((j) => relative(j, d.folder));
    if (add.length === 0 && remove.length === 0) {
      out.push({ ...base, kind: 'unchanged', reason: 'view holds its jobs', code: 'view-up-to-date' });
    } else {
      const parts = [add.length ? `add ${add.length} job(s)` : '', remove.length ? `remove ${remove.length} job(s)` : ''].filter(Boolean);
      out.push({ ...base, kind: 'update', reason: parts.join(', '), code: 'view-jobs-changed', params: { added: add.length, removed: remove.length }, view: { name: d.name, folder: d.folder, add, remove } });
    }
  }
  return out;
}
