import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Clock } from '../model/clock.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { hasErrors } from '../model/diagnostic.js';
import type { JenkinsApi } from '../model/jenkins-api.js';
import type { Plan } from '../model/plan.js';
import { runLimited } from '../apply/run-limited.js';
import { applyPlan, type ApplyOptions } from '../apply/apply-plan.js';
import type { ApplyResult } from '../apply/apply-events.js';
import { loadWorkspace } from '../load/workspace.js';
import { renderWorkspace } from '../render/render-workspace.js';
import { makePlan } from '../plan/make-plan.js';
import { restoreOnlyPlan } from '../plan/rules/restore-only.js';
import { restoreAsCopy } from '../plan/rules/restore-copy.js';
import { emptyPatterns, unmatchedPatterns } from '../plan/rules/filter-scope.js';
import { UsageError } from '../model/errors.js';
import { planRestore, restoreScope, viewFullName } from './restore-plan.js';
import { readBackup } from './restore-source.js';
import { withRevisionTree } from './revision-tree.js';
import { resolveOwner } from '../sync/owner-id.js';
import { checkControllerNames, projectControllers } from '../controllers/assign-controllers.js';
import type { ControllersConfig } from '../controllers/controllers-config.js';
import { splitDesired } from '../render/split-controllers.js';

export interface RestoreOptions {
  /** A backup directory, a definitions directory (job-templates/ + jobs/), or a git repository of either with `revision`. */
  from: string;
  revision?: string;
  only: string[];
  overwrite: boolean;
  apply: boolean;
  concurrency: number;
  clock: Clock;
  onEvent?: ApplyOptions['onEvent'];
  /** Stops the apply between changes (Ctrl-C): see ApplyOptions.signal. */
  signal?: AbortSignal;
  /**
   * Many controllers (docs/controllers.md): `api` is this controller; definitions restore only the
   * projects that go to it (their `controller:` names are checked against `config`).
   */
  controller?: { name: string; config: ControllersConfig };
  /**
   * Many controllers: the backup is of this other controller (`restore DIR/east --controller
   * staging`): its items are written as unmanaged copies (src/plan/rules/restore-copy.ts).
   */
  copyOf?: string;
  /** `--only` globs a backup does not match are returned in `unmatched` instead of refused (the caller checks them across controllers). */
  collectUnmatched?: boolean;
}

export interface RestoreOutcome {
  /** What FROM held: a backup (JENKINS_HOME layout) or definitions (rendered, then planned like a sync without deletions). */
  kind: 'backup' | 'definitions';
  diagnostics: Diagnostic[];
  /** Undefined when the input had errors (nothing was planned or done). */
  plan?: Plan;
  applied?: ApplyResult;
  /** With `collectUnmatched`: the `--only` globs that matched nothing in the backup. */
  unmatched?: string[];
}

/** Definitions: a job-templates/ directory or *.yaml files in jobs/. */
export function looksLikeDefinitions(dir: string): boolean {
  return existsSync(path.join(dir, 'job-templates'));
}

/**
 * `jobsmith restore`: recreate jobs, folders and views from a backup, or from the definitions
 * (at a git revision, read with `git archive`, no checkout), onto an empty or partial Jenkins.
 * One listing; the result is a Plan (never a deletion), applied with the same executor as sync.
 */
export async function runRestore(api: JenkinsApi, opts: RestoreOptions): Promise<RestoreOutcome> {
  const go = async (dir: string, display: string): Promise<RestoreOutcome> => {
    if (looksLikeDefinitions(dir)) {
      const loaded = await loadWorkspace({ templatesDir: path.join(dir, 'job-templates'), jobsDir: path.join(dir, 'jobs') });
      const rendered = renderWorkspace(loaded.workspace, {});
      const named = checkControllerNames(loaded.workspace.definitions, opts.controller?.config);
      const diagnostics = [...loaded.diagnostics, ...rendered.diagnostics, ...named].map((d) => (d.file && d.file.startsWith(dir) ? { ...d, file: path.join(display, path.relative(dir, d.file)) } : d));
      if (hasErrors(diagnostics)) return { kind: 'definitions', diagnostics };
      // the owner of the definitions restored (their repository's, also for a revision read from it)
      const owner = await resolveOwner({ jobsDir: path.join(opts.from, 'jobs') });
      if (hasErrors(owner.diagnostics)) return { kind: 'definitions', diagnostics: owner.diagnostics };
      const unmatched = unmatchedPatterns(opts.only, rendered.desired.jobs.map((j) => j.fullName), rendered.desired.jobs.map((j) => j.project));
      if (unmatched.length) throw unmatchedOnly(unmatched, 'no project and no job of these definitions');
      let desired = rendered.desired;
      if (opts.controller) {
        // checked over every project above: a glob matching a project of another controller is no typo
        const assigned = projectControllers(loaded.workspace.definitions, opts.controller.config);
        desired = splitDesired(desired, opts.controller.config.names, (p) => assigned.get(p) ?? []).get(opts.controller.name)!;
      }
      const observed = await api.list();
      const planned = makePlan({ desired, owner: owner.owner, observed, clock: opts.clock, options: { removed: 'keep', only: opts.only, adopt: opts.overwrite } });
      return finish({ kind: 'definitions', diagnostics, plan: restoreOnlyPlan(planned, opts.overwrite) });
    }
    const backup = await readBackup(dir, display);
    if (hasErrors(backup.diagnostics)) return { kind: 'backup', diagnostics: backup.diagnostics };
    const observed = await api.list();
    // Existing items are compared with the backup (with or without --overwrite): the plan says
    // which are the same and which differ (kept without --overwrite, "would: update").
    const scope = restoreScope(backup, opts.only);
    if (scope.unmatched.length && !opts.collectUnmatched) throw unmatchedOnly(scope.unmatched, 'no item or view of the backup');
    const currentConfigs = new Map<string, string>();
    const existing = observed.items.filter((i) => backup.items.has(i.fullName) && scope.items.has(i.fullName));
    await runLimited(existing, opts.concurrency, async (i) => {
      currentConfigs.set(i.fullName, await api.getConfig(i.fullName));
    });
    const currentViewConfigs = new Map<string, string>();
    const observedViews = new Set(observed.views.map(viewFullName));
    await runLimited(scope.views.filter((v) => observedViews.has(viewFullName(v))), opts.concurrency, async (v) => {
      currentViewConfigs.set(viewFullName(v), await api.getViewConfig(v.name, v.folder.join('/')));
    });
    const plan = restoreOnlyPlan(planRestore(backup, observed, opts.clock, { only: opts.only, overwrite: opts.overwrite, currentConfigs, currentViewConfigs }), opts.overwrite);
    return finish({ kind: 'backup', diagnostics: [], plan: opts.copyOf !== undefined && opts.controller ? restoreAsCopy(plan, opts.copyOf, opts.controller.name) : plan, ...(opts.collectUnmatched ? { unmatched: scope.unmatched } : {}) });
  };
  const finish = async (o: RestoreOutcome): Promise<RestoreOutcome> => {
    if (opts.apply && o.plan && !o.plan.refused) o.applied = await applyPlan(api, o.plan, { concurrency: opts.concurrency, ...(opts.onEvent ? { onEvent: opts.onEvent } : {}), ...(opts.signal ? { signal: opts.signal } : {}) });
    return o;
  };
  if (emptyPatterns(opts.only)) throw new UsageError('--only was given an empty pattern (an unset variable?): it would match nothing; nothing was done');
  if (opts.revision !== undefined) return withRevisionTree(opts.from, opts.revision, (dir) => go(dir, `${opts.from}@${opts.revision}`));
  return go(opts.from, opts.from);
}

/** --only globs that match nothing: a usage error (a typo must not look like "nothing to restore"), as in sync. */
function unmatchedOnly(globs: string[], what: string): UsageError {
  return new UsageError(`--only ${globs.map((p) => JSON.stringify(p)).join(', ')} matches ${what}; nothing was done`);
}
