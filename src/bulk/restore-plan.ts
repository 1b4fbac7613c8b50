import picomatch from 'picomatch';
import type { Clock } from '../model/clock.js';
import type { ObservedState } from '../model/observed.js';
import { emptySummary, type Change, type Plan, type PlanProblem } from '../model/plan.js';
import { sameConfig } from '../plan/same-job-config.js';
import type { BackupContents } from './restore-source.js';
import { typeChanges } from '../model/item-types.js';

export interface RestorePlanOptions {
  /** Globs on full names (jobs, folders, `folder/view` for views); their parent folders come along. */
  only: string[];
  /** Update existing items whose config differs from the backup (default: leave them alone). */
  overwrite: boolean;
  /** Current configs of the existing items (full name → config.xml), to compare with the backup. */
  currentConfigs?: ReadonlyMap<string, string>;
  /** Current configs of the existing views (`folder/name` → config.xml), to compare with the backup. */
  currentViewConfigs?: ReadonlyMap<string, string>;
}

/** Full name of a view of the backup (`folder/name`, or `name` at the root). */
export function viewFullName(v: { name: string; folder: string[] }): string {
  return [...v.folder, v.name].join('/');
}

/**
 * What a restore with `only` looks at: the matching items with the folders they need, and the
 * matching views (with their folders). Globs that match nothing of the backup are returned in
 * `unmatched` (the caller reports them; a typo must not look like "nothing to restore").
 */
export function restoreScope(backup: BackupContents, only: string[]): { items: Set<string>; matched: Set<string>; views: BackupContents['views']; unmatched: string[] } {
  const tests = only.map((g) => ({ glob: g, test: picomatch(g, { dot: true }) }));
  const used = new Set<string>();
  const isOnly = (name: string): boolean => {
    if (tests.length === 0) return true;
    let hit = false;
    for (const t of tests) if (t.test(name)) (hit = true), used.add(t.glob);
    return hit;
  };
  const items = new Set<string>();
  /** Items `only` matches themselves (the others in `items` are folders they need). */
  const matched = new Set<string>();
  for (const name of backup.items.keys()) {
    if (!isOnly(name)) continue;
    items.add(name);
    matched.add(name);
    for (const p of parents(name)) items.add(p);
  }
  const views = backup.views.filter((v) => isOnly(viewFullName(v)));
  for (const v of views) {
    if (v.folder.length) {
      const f = v.folder.join('/');
      items.add(f);
      for (const p of parents(f)) items.add(p);
    }
  }
  return { items, matched, views, unmatched: tests.map((t) => t.glob).filter((g) => !used.has(g)) };
}

/** The built-in "All" view (every folder and Jenkins has one): nothing in it to restore or compare. */
function isAllView(config: string): boolean {
  return /^\s*(?:<\?xml[^>]*>\s*)?<hudson\.model\.AllView[\s>/]/.test(config);
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
  const observedItems = new Map(observed.items.map((i) => [i.fullName, i]));
  const { items: wanted, matched, views: wantedViews } = restoreScope(backup, opts.only);
  // The root's item map is case-insensitive in Jenkins (jenkins-api.md §3): `Deploy` cannot be created next to `deploy`.
  const rootByLower = new Map(observed.items.filter((i) => !i.fullName.includes('/')).map((i) => [i.fullName.toLowerCase(), i]));
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
    const sameButCase = !obs && !name.includes('/') ? rootByLower.get(name.toLowerCase()) : undefined;
    if (sameButCase) {
      // Jenkins refuses the create (400 "A job already exists"): never planned, and what it holds cannot be restored under it
      blocked.add(name);
      const why = `${sameButCase.fullName} exists in Jenkins: names at the top level differ only in case there, so Jenkins refuses to create ${name}`;
      if (opts.overwrite) {
        changes.push({ kind: 'conflict', target, fullName: name, reason: `${why}; not restored (rename ${sameButCase.fullName} first, or restore with --only around it)`, code: 'name-differs-in-case', params: { existing: sameButCase.fullName } });
        problems.push({ severity: 'error', category: 'input', code: 'restore-case-conflict', message: `${name}: ${why}; not restored` });
      } else changes.push({ kind: 'keep', target, fullName: name, reason: `${why}; restore changes existing items only with --overwrite`, code: 'name-differs-in-case', params: { existing: sameButCase.fullName } });
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
    if (!b.isFolder && typeChanges(b.rootElement, obs.className)) {
      // a config post cannot change an item's type (Jenkins answers 500); restore never deletes to replace it
      const why = `it is of class ${obs.className} in Jenkins, the backup holds a <${b.rootElement}>: a config post cannot change its type, and restore never deletes an item to replace it`;
      if (opts.overwrite) {
        changes.push({ kind: 'conflict', target, fullName: name, reason: `${why}; not restored`, code: 'type-differs', params: { className: obs.className, rootElement: b.rootElement } });
        problems.push({ severity: 'error', category: 'input', code: 'restore-type-conflict', message: `${name}: ${why}; not restored (delete or rename it in Jenkins first to restore the backup's)` });
      } else changes.push({ kind: 'keep', target, fullName: name, reason: `exists in Jenkins as another type (${obs.className}); restore changes existing items only with --overwrite, and never their type`, code: 'type-differs', params: { className: obs.className, rootElement: b.rootElement } });
      continue;
    }
    // Compared with the backup; an update is held without --overwrite by restore-only.ts ("would: update").
    const current = opts.currentConfigs?.get(name);
    if (current !== undefined && sameConfig(current, b.config)) changes.push({ kind: 'unchanged', target, fullName: name, reason: 'same as the backup', code: 'same-as-backup' });
    // a folder that only comes along for what --only matched: created when missing, never changed
    else if (obs.isFolder && b.isFolder && !matched.has(name)) changes.push({ kind: 'keep', target, fullName: name, reason: 'exists in Jenkins; restore --only creates the folders it needs when missing, and changes one only when --only matches it', code: 'needed-folder-exists' });
    else if (current === undefined && !opts.overwrite) changes.push({ kind: 'keep', target, fullName: name, reason: 'exists in Jenkins (not compared; restore changes existing items only with --overwrite)', code: 'exists-no-overwrite' });
    else changes.push({ kind: 'update', target, fullName: name, reason: opts.overwrite ? 'differs from the backup (--overwrite)' : 'differs from the backup', code: 'differs-from-backup', config: b.config });
  }
  const observedViews = new Set(observed.views.map(viewFullName));
  const createdFolders = new Map(changes.filter((c) => c.kind === 'create' && c.target === 'folder').map((c) => [c.fullName, c]));
  /** Views a folder's config brings along when the folder is created (no request of their own). */
  const withFolder = new Map<string, string[]>();
  for (const v of wantedViews) {
    const full = viewFullName(v);
    const folder = v.folder.join('/');
    if (folder && blocked.has(folder)) {
      changes.push({ kind: 'keep', target: 'view', fullName: full, reason: 'its folder cannot be restored', code: 'folder-cannot-be-restored' });
      continue;
    }
    if (folder && createdFolders.has(folder)) {
      if (!isAllView(v.config)) withFolder.set(folder, [...(withFolder.get(folder) ?? []), v.name]);
      continue;
    }
    if (observedViews.has(full)) {
      // An existing view is never changed by restore (not even with --overwrite); the plan says whether it differs.
      const current = opts.currentViewConfigs?.get(full);
      if (isAllView(v.config)) changes.push({ kind: 'unchanged', target: 'view', fullName: full, reason: 'exists in Jenkins; it shows all jobs', code: 'view-exists' });
      else if (current !== undefined && sameConfig(current, v.config)) changes.push({ kind: 'unchanged', target: 'view', fullName: full, reason: 'same as the backup', code: 'same-as-backup' });
      else changes.push({ kind: 'keep', target: 'view', fullName: full, reason: `exists in Jenkins: restore never changes an existing view (${current === undefined ? 'not compared with the backup' : 'differs from the backup'})`, code: 'view-never-changed', params: { compared: current !== undefined } });
      continue;
    }
    changes.push({ kind: 'create', target: 'view', fullName: full, reason: 'missing in Jenkins; restored from the backup', code: 'restored', config: v.config, view: { name: v.name, folder: v.folder, add: [], remove: [] } });
  }
  for (const [folder, names] of withFolder) {
    const c = createdFolders.get(folder)!;
    names.sort();
    c.reason += `, with its view${names.length === 1 ? '' : 's'} ${names.join(', ')}`;
    c.params = { ...c.params, views: names };
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
