import type { JenkinsApi } from '../model/jenkins-api.js';
import type { ArchivePolicy, Change, Plan } from '../model/plan.js';
import { formatDiagnostic, hasErrors, type Diagnostic } from '../model/diagnostic.js';
import { planSync } from '../sync/plan-sync.js';
import { runSync } from '../sync/run-sync.js';
import { workspaceSource as sourceOf, type WorkspaceSourceOptions } from '../sync/workspace-source.js';
import { applyControllers, planControllers, type ControllerTarget } from '../sync/controllers-sync.js';
import type { ApplyResult } from '../apply/apply-events.js';
import type { ControllersConfig } from '../controllers/controllers-config.js';
import type { DesiredSource } from '../sync/desired-source.js';
import { redactUrlsInText } from '../model/redact-url.js';
import type { ProjectSyncer, SyncedJob, SyncSummary } from './self-service.js';
import type { WorkspaceDirs } from './render-checker.js';

/** Browser URL of a job: `<base>/job/a/job/b/`. */
export function jobUrl(baseUrl: string, fullName: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/${fullName.split('/').map((s) => `job/${encodeURIComponent(s)}`).join('/')}/`;
}

const DONE: Record<string, SyncedJob['action']> = { create: 'created', move: 'updated', update: 'updated', adopt: 'updated', replace: 'updated', enable: 'updated' };

/** The Jenkins a project syncer talks to: one, or (many controllers) several of jobsmith.yaml's controllers. */
export interface SyncerControllers {
  config: ControllersConfig;
  /** The controllers this syncer talks to, each with its browser URL (no credentials). */
  targets: Array<ControllerTarget & { url: string }>;
}

/**
 * Sync one project right after its definition was pushed: the whole workspace is rendered (so the
 * plan sees everything) but `projects` limits the plan to the project (by identity, never a name
 * glob: src/plan/rules/filter-scope.ts), and nothing is ever deleted
 * or disabled from here (`removed: keep`): that stays the sync master job's business.
 * With many controllers (`opts.controllers`, docs/controllers.md) the project is planned and synced
 * on each controller of `targets` it goes to, in parallel (src/sync/controllers-sync.ts).
 */
export function projectSyncer(api: JenkinsApi, dirs: WorkspaceDirs, opts: { jenkinsUrl: string; concurrency?: number; archive?: ArchivePolicy; controllers?: SyncerControllers }): ProjectSyncer {
  if (opts.controllers) return controllersSyncer(dirs, { ...opts, controllers: opts.controllers });
  return {
    async preflight(project, overlay) {
      // Exactly the plan the sync will make (one listing, the same owner), with the prospective definition in place.
      const source = sourceOf({ templatesDir: dirs.templatesDir, jobsDir: dirs.jobsDir, branches: false, upstreamCheck: false, overlay: [overlay] });
      const outcome = await planSync({ api, source, settings: { projects: [project], removed: 'keep' } });
      if (outcome.status === 'invalid') return []; // validation (run just before) reports these
      return collisions(outcome.plan.changes, project);
    },
    async sync(project: string): Promise<SyncSummary> {
      const outcome = await runSync({
        api,
        source: sourceOf({ templatesDir: dirs.templatesDir, jobsDir: dirs.jobsDir, branches: false }),
        // a type change (replace) deletes a job: it is archived first like any other delete
        settings: { projects: [project], removed: 'keep', concurrency: opts.concurrency ?? 8, ...(opts.archive ? { archive: opts.archive } : {}) },
      });
      if (outcome.status === 'invalid') return invalidSummary(outcome.diagnostics);
      const part = summaryPart(project, outcome.plan, outcome.applied, opts.jenkinsUrl);
      return finishSummary([part], hasErrors(outcome.diagnostics));
    },
  };
}

function invalidSummary(diagnostics: readonly Diagnostic[]): SyncSummary {
  const first = diagnostics.filter((d) => d.severity === 'error').slice(0, 3).map(formatDiagnostic).join('; ');
  return { ok: false, jobs: [], message: `the definitions have errors, nothing was synced: ${first}` };
}

interface SummaryPart {
  jobs: SyncedJob[];
  items: NonNullable<SyncSummary['items']>;
  problems: string[];
  refused: boolean;
  /** Many controllers: the controller (prefixes its messages). */
  controller?: string;
}

/** What one plan and its apply did to the project (its jobs, folders and views, and what went wrong). */
function summaryPart(project: string, plan: Plan, applied: ApplyResult | undefined, baseUrl: string, controller?: string): SummaryPart {
  const mine = (c: Change): boolean => c.target === 'job' && c.project === project;
  const jobs: SyncedJob[] = [];
  const failed = new Map<string, string>();
  const on = controller !== undefined ? { controller } : {};
  for (const f of [...(applied?.failed ?? []), ...(applied?.skipped ?? [])]) failed.set(f.change.fullName, redactUrlsInText(f.error));
  for (const c of plan.changes.filter(mine)) {
    const url = jobUrl(baseUrl, c.fullName);
    const error = failed.get(c.fullName);
    if (error !== undefined) jobs.push({ fullName: c.fullName, action: 'failed', error, ...on });
    else if (c.kind === 'unchanged') jobs.push({ fullName: c.fullName, action: 'unchanged', url, ...on });
    else if (c.kind === 'conflict' || c.kind === 'keep') jobs.push({ fullName: c.fullName, action: 'failed', error: c.reason, ...on });
    else if (DONE[c.kind] && applied) jobs.push({ fullName: c.fullName, action: DONE[c.kind]!, url, ...on });
    else jobs.push({ fullName: c.fullName, action: 'skipped', error: c.reason, ...on });
  }
  const items: SummaryPart['items'] = [];
  for (const c of plan.changes.filter((c) => c.target !== 'job')) {
    const error = failed.get(c.fullName);
    const target = c.target as 'folder' | 'view';
    if (error !== undefined) items.push({ target, fullName: c.fullName, action: 'failed', error });
    else if (c.kind === 'unchanged') items.push({ target, fullName: c.fullName, action: 'unchanged' });
    else if (c.kind === 'conflict') items.push({ target, fullName: c.fullName, action: 'failed', error: c.reason });
    else if (DONE[c.kind] && applied) items.push({ target, fullName: c.fullName, action: DONE[c.kind]! });
    else items.push({ target, fullName: c.fullName, action: 'skipped', error: c.reason });
  }
  const problems = plan.problems.filter((p) => p.severity === 'error' && (p.project === undefined || p.project === project)).map((p) => p.message);
  return { jobs, items, problems, refused: plan.refused, ...on };
}

function finishSummary(parts: readonly SummaryPart[], definitionErrors: boolean, more: readonly string[] = []): SyncSummary {
  const jobs = parts.flatMap((p) => p.jobs);
  const items = parts.flatMap((p) => p.items);
  const ok = more.length === 0 && parts.every((p) => !p.refused && p.problems.length === 0) && [...jobs, ...items].every((j) => j.action !== 'failed' && j.action !== 'skipped') && !definitionErrors;
  const who = (p: SummaryPart): string => (p.controller !== undefined ? `controller ${p.controller}: ` : '');
  const message = ok
    ? undefined
    : [
        ...more,
        ...parts.flatMap((p) => [
          p.refused ? `${who(p)}the plan was refused` : '',
          ...p.problems.map((m) => `${who(p)}${m}`),
          ...[...p.jobs, ...p.items].filter((j) => j.error).map((j) => `${who(p)}${j.fullName}: ${j.error}`),
        ]),
      ]
        .filter(Boolean)
        .join('; ') + '. The definition is committed; the next sync will retry.';
  return { ok, jobs, items, ...(message ? { message } : {}) };
}

/** The project syncer over several controllers of jobsmith.yaml (the form and `create` with `controllers:`). */
function controllersSyncer(dirs: WorkspaceDirs, opts: { concurrency?: number; archive?: ArchivePolicy; controllers: SyncerControllers }): ProjectSyncer {
  const { config, targets } = opts.controllers;
  const source = (o: Partial<WorkspaceSourceOptions>): DesiredSource => sourceOf({ templatesDir: dirs.templatesDir, jobsDir: dirs.jobsDir, branches: false, controllers: config, ...o });
  const elsewhere = (project: string, assigned: ReadonlyMap<string, string[]> | undefined): string | undefined => {
    const goes = assigned?.get(project) ?? [];
    if (goes.some((c) => targets.some((t) => t.name === c))) return undefined;
    return `project ${project} goes to controller ${goes.join(', ')}, which this run does not talk to: the sync master job (jobsmith sync) creates its jobs there`;
  };
  return {
    async preflight(project, overlay) {
      const outcome = await planControllers({ targets, names: config.names, source: source({ upstreamCheck: false, overlay: [overlay] }), settings: { projects: [project], removed: 'keep' } });
      if (outcome.status === 'invalid') return []; // validation (run just before) reports these
      // a controller the project does not go to cannot hold its names: its failure does not matter here
      const goes = outcome.snapshot.controllers?.get(project) ?? [];
      const failed = outcome.controllers.find((o) => o.status !== 'planned' && goes.includes(o.controller));
      if (failed) throw new Error(`controller ${failed.controller}: ${failed.error ?? 'could not be planned'}`);
      return outcome.controllers.filter((o) => o.plan).flatMap((o) => collisions(o.plan!.changes, project).map((d) => (targets.length > 1 ? { ...d, message: `on controller ${o.controller}: ${d.message}` } : d)));
    },
    async sync(project: string): Promise<SyncSummary> {
      const outcome = await planControllers({
        targets,
        names: config.names,
        source: source({}),
        settings: { projects: [project], removed: 'keep', concurrency: opts.concurrency ?? 8, ...(opts.archive ? { archive: opts.archive } : {}) },
      });
      if (outcome.status === 'invalid') return invalidSummary(outcome.diagnostics);
      await applyControllers(outcome, targets);
      const parts = outcome.controllers.filter((o) => o.plan).map((o) => summaryPart(project, o.plan!, o.applied, targets.find((t) => t.name === o.controller)!.url, o.controller));
      const goes = outcome.snapshot.controllers?.get(project) ?? [];
      const more = outcome.controllers.filter((o) => !o.plan && goes.includes(o.controller)).map((o) => `controller ${o.controller}: ${redactUrlsInText(o.error ?? 'could not be planned')} (nothing was changed on it)`);
      const away = elsewhere(project, outcome.snapshot.controllers);
      if (away) more.push(away);
      return finishSummary(parts, hasErrors(outcome.diagnostics), more);
    },
  };
}

/**
 * Items the prospective project would need that jobsmith may not change: a job name held by an
 * unmanaged (or another owner's) job, a folder name held by a job, a view name held by a view of
 * another kind. Each becomes an error on the form field that chose the name.
 */
export function collisions(changes: readonly Change[], project: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const mine = changes.filter((c) => c.target === 'job' && c.project === project).map((c) => c.fullName);
  for (const c of changes) {
    if (c.kind !== 'conflict') continue;
    if (c.target === 'job' && c.project === project) {
      out.push({
        severity: 'error',
        code: 'job-name-taken',
        field: 'project',
        message: `Jenkins already has a job named "${c.fullName}" that jobsmith may not change (${c.reason.replace(/ \(not touched; --adopt takes it over\)$|; not touched$/, '')}); choose another project name, or ask the build team to adopt that job`,
      });
    } else if (c.target === 'folder' && mine.some((j) => j.startsWith(`${c.fullName}/`))) {
      out.push({ severity: 'error', code: 'folder-name-taken', field: 'folder', message: `Jenkins already has "${c.fullName}", which is not a folder (${c.reason}); choose another folder` });
    } else if (c.target === 'view') {
      out.push({ severity: 'error', code: 'view-name-taken', field: 'view', message: `Jenkins already has a view "${c.fullName}" of another kind (${c.reason}); choose another view name` });
    }
  }
  return out;
}
