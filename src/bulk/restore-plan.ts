import picomatch from 'picomatch';
import type { Clock } from '../model/clock.js';
import type { ObservedState } from '../model/observed.js';
import { emptySummary, type Change, type Plan, type PlanProblem } from '../model/plan.js';
import { sameConfig } from '../plan/same-job-config.js';
import type { BackupContents } from './restore-source.js';

export interface RestorePlanOptions {
  /** Globs on full names (jobs, folders, `folder/view` for views); their parent folders come along. */
  only: string[];
  /** Update existing items whose config differs from the backup (default: leave them alone). */
  overwrite: boolean;
  /** With overwrite: current configs of the existing items (full name → config.xml). */
  currentConfigs?: ReadonlyMap<string, string>;
}

function parents(fullName: string): string[] {
  const segs = fullName.split('/');
  const out: string[] = [];
  for (let k = 1; k < segs.length; k++) out.push(segs.slice(0, k).join('/'));
  return out;
}

/**
 * Restore from a backup as a Plan (the same value plan/apply use): create what is missing
 * (folders first, then jobs, then views), leave what exists alone (or update it with `overwrite`
 * when it differs semantically), never delete. Malformed backup files refuse the whole plan.
 */
export function planRestore(backup: BackupContents, observed: ObservedState, clock: Clock, opts: RestorePlanOptions): Plan {
  const changes: Change[] = [];
  const problems: PlanProblem[] = [];
  const isOnly = opts.only.length ? picomatch(opts.only, { dot: true }) : () => true;
  const observedItems = new Map(observed.items.map((i) => [i.fullName, i]));
  const wanted = new Set<string>();
  for (const name of backup.items.keys()) {
    if (!isOnly(name)) continue;
    wanted.add(name);
    for (const p of parents(name)) wanted.add(p);
  }
  const wantedViews = backup.views.filter((v) => isOnly([...v.folder, v.name].join('/')));
  for (const v of wantedViews) {
    if (v.folder.length) {
      const f = v.folder.join('/');
      wanted.add(f);
      for (const p of parents(f)) wanted.add(p);
    }
  }
  const names = [...wanted].sort((a, b) => a.split('/').length - b.split('/').length || (a < b ? -1 : 1));
  const blocked = new Set<string>();
  for (const name of names) {
    const b = backup.items.get(name);
    const target = b?.isFolder || (!b && [...wanted].some((w) => w.startsWith(name + '/'))) ? 'folder' : 'job';
    const obs = observedItems.get(name);
    if (parents(name).some((p) => blocked.has(p))) {
      blocked.add(name);
      changes.push({ kind: 'keep', target, fullName: name, reason: 'its folder cannot be restored', code: 'folder-cannot-be-restored' });
      continue;
    }
    if (!b) {
      if (!obs) {
        blocked.add(name);
        problems.push({ severity: 'error', category: 'input', code: 'folder-not-in-backup', message: `folder ${name} is neither in Jenkins nor in the backup: what it holds cannot be restored` });
        changes.push({ kind: 'keep', target: 'folder', fullName: name, reason: 'not in the backup', code: 'not-in-backup' });
      }
      continue;
    }
    if (!obs) {
      changes.push({ kind: 'create', target, fullName: name, reason: 'missing in Jenkins; restored from the backup', code: 'restored', config: b.config });
      continue;
    }
    if (obs.isFolder !== b.isFolder) {
      blocked.add(name);
      changes.push({ kind: 'conflict', target, fullName: name, reason: `an item of another kind (${obs.className}) is in the way`, code: 'kind-in-the-way', params: { className: obs.className } });
      continue;
    }
    if (!opts.overwrite) {
      changes.push({ kind: 'unchanged', target, fullName: name, reason: 'exists in Jenkins (restore does not overwrite without --overwrite)', code: 'exists-no-overwrite' });
      continue;
    }
    const current = opts.currentConfigs?.get(name);
    if (current !== undefined && sameConfig(current, b.config)) changes.push({ kind: 'unchanged', target, fullName: name, reason: 'same as the backup', code: 'same-as-backup' });
    else changes.push({ kind: 'update', target, fullName: name, reason: 'differs from the backup (--overwrite)', code: 'differs-from-backup', config: b.config });
  }
  const observedViews = new Set(observed.views.map((v) => [...v.folder, v.name].join('/')));
  const createdFolders = new Set(changes.filter((c) => c.kind === 'create' && c.target === 'folder').map((c) => c.fullName));
  for (const v of wantedViews) {
    const full = [...v.folder, v.name].join('/');
    const folder = v.folder.join('/');
    if (folder && blocked.has(folder)) {
      changes.push({ kind: 'keep', target: 'view', fullName: full, reason: 'its folder cannot be restored', code: 'folder-cannot-be-restored' });
      continue;
    }
    if (folder && createdFolders.has(folder)) {
      changes.push({ kind: 'unchanged', target: 'view', fullName: full, reason: "restored with its folder's config", code: 'view-restored-with-folder' });
      continue;
    }
    if (observedViews.has(full)) {
      changes.push({ kind: 'unchanged', target: 'view', fullName: full, reason: 'exists in Jenkins', code: 'view-exists' });
      continue;
    }
    changes.push({ kind: 'create', target: 'view', fullName: full, reason: 'missing in Jenkins; restored from the backup', code: 'restored', config: v.config, view: { name: v.name, folder: v.folder, add: [], remove: [] } });
  }
  for (const d of backup.diagnostics) problems.push({ severity: 'error', category: 'refused', code: d.code, message: `${d.file}${d.line ? `:${d.line}:${d.column}` : ''}: ${d.message}` });
  const summary = emptySummary();
  for (const c of changes) summary[c.kind]++;
  return {
    format: 'jobsmith-plan',
    version: 1,
    createdAt: clock.now().toISOString(),
    options: { removed: 'keep', allowMassDelete: false, adopt: false, verify: opts.overwrite, only: opts.only },
    changes,
    problems,
    summary,
    refused: problems.some((p) => p.category === 'refused'),
    managedCount: 0,
  };
}
